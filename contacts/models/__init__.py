"""The data of every room of contacts, one module each (the rooms are the folders beside this
one: offices, subscriptions, media, mailings, imports), and the suppression list every send
honours. Django finds the models here.

The models sit below the rooms rather than in them: the data is one graph (a mailing names
lists, contacts and subscribers; an import names a list; a delivery a contact or a subscriber)
while the rooms use each other's behaviour (erasing a contact scrubs their deliveries, the
contacts admin mounts the import pages). Kept in their rooms, the models would make the rooms
import each other in a circle."""

from contacts.models.alerts import AlertedTopic
from contacts.models.coverage import Coverage
from contacts.models.erased_addresses import ErasedAddress
from contacts.models.events import DeliveryEvent
from contacts.models.imports import ImportJob, ImportMapping
from contacts.models.mailings import Delivery, EmbargoOpen, EmbargoRevocation, Mailing
from contacts.models.media import (
    ContactEvent,
    ContactTag,
    MediaContact,
    MediaList,
    Membership,
    Outlet,
    TaggedContact,
    normalize_email,
)
from contacts.models.notes import ContactNote
from contacts.models.offices import PressContact, PressOffice
from contacts.models.segments import Segment
from contacts.models.subscriptions import Subscriber
from contacts.models.suppressions import Suppression

__all__ = [
    "AlertedTopic",
    "ContactEvent",
    "ContactNote",
    "ContactTag",
    "Coverage",
    "Delivery",
    "DeliveryEvent",
    "EmbargoOpen",
    "EmbargoRevocation",
    "ErasedAddress",
    "ImportJob",
    "ImportMapping",
    "MediaContact",
    "MediaList",
    "Mailing",
    "Membership",
    "Outlet",
    "PressContact",
    "PressOffice",
    "Segment",
    "Subscriber",
    "Suppression",
    "TaggedContact",
    "normalize_email",
]
