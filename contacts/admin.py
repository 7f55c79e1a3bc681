"""Django's admin finds the contacts admin here; each room registers its own models."""

from contacts.imports import admin as imports
from contacts.mailings import admin as mailings
from contacts.mailings import suppression_admin as suppressions
from contacts.media import admin as media
from contacts.media import coverage, segments
from contacts.offices import admin as offices
from contacts.subscriptions import admin as subscriptions

__all__ = [
    "coverage",
    "imports",
    "mailings",
    "media",
    "offices",
    "segments",
    "subscriptions",
    "suppressions",
]
