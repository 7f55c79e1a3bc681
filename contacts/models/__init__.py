from contacts.models.embargo import EmbargoRevocation
from contacts.models.imports import ImportJob
from contacts.models.mailings import Delivery, EmbargoOpen, Mailing
from contacts.models.media import (
    ContactEvent,
    MediaContact,
    MediaList,
    Membership,
    Outlet,
    normalize_email,
)
from contacts.models.offices import PressContact, PressOffice
from contacts.models.subscribers import Subscriber

__all__ = [
    "ContactEvent",
    "Delivery",
    "EmbargoOpen",
    "EmbargoRevocation",
    "ImportJob",
    "MediaContact",
    "MediaList",
    "Mailing",
    "Membership",
    "Outlet",
    "PressContact",
    "PressOffice",
    "Subscriber",
    "normalize_email",
]
