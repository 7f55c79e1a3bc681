"""Where personal data lives: every table a person's address (or anything else about them) may
be written to, in one list. A new model that holds personal data is one more line here, and
erasure, the access export and the database-wide test after an erasure all take it into account.

Each place names the text or JSON fields an address may be written in; erasure replaces every
address of the person found there (in any case, and URL-encoded as links carry it), whoever's
row it is. Rows that belong to the person (through `contact`, `subscriber`, or the admin's
generic `content_type` + `object_id`) are dealt with first, as `own` says:

- `SCRUB` (the default): their addresses and their names are replaced in the fields;
- `DELETE`: the rows are deleted (notes about the person, copies of their record);
- a dict of field -> value: those fields are set (`PLACEHOLDER` for an undeliverable address
  unique to the row; in a string, "{model}" and "{pk}" name the person's record), the
  other fields scrubbed.

`own_only` says the address can be in no one's rows but its owner's (an email's address, the
events of that email): then only the person's rows and rows of no one (their recipient deleted)
are read for it, not the whole table, a log of millions of rows.

`export` names the section of the access export that lists the person's own rows of a place
the export does not already show in its own words.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q

SCRUB = "scrub"
DELETE = "delete"
PLACEHOLDER = object()  # erased-<model>-<row id>@erased.invalid


@dataclass(frozen=True)
class Place:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    contact: str = ""  # the lookup from a row to its media contact, if it has one
    subscriber: str = ""  # the lookup from a row to its subscriber, if it has one
    generic: bool = False  # rows point at their object through content_type and object_id
    own: object = SCRUB
    own_only: bool = False
    export: str = ""

    def unowned(self):
        """The condition on rows that belong to no one."""
        return Q(**{f"{self.contact}__isnull": True, f"{self.subscriber}__isnull": True})

    def get_model(self):
        """The model, or None when its app is not installed (reversion, the task queue)."""
        try:
            return apps.get_model(self.model)
        except LookupError:
            return None


PLACES = [
    # Other people's records, lists and sends may quote the address in their free text.
    Place("contacts.MediaContact", ("notes", "source", "do_not_contact_reason")),
    Place("contacts.MediaList", ("description",)),
    Place("contacts.Mailing", ("subject", "personal_note")),
    # One row per email: the address it went to, and the mail server's words about it.
    Place(
        "contacts.Delivery",
        ("email", "error"),
        contact="contact",
        subscriber="subscriber",
        own={"email": PLACEHOLDER},
        own_only=True,
    ),
    # Provider events and clicks: a link clicked may carry the address in its query string.
    Place(
        "contacts.DeliveryEvent",
        ("url", "detail"),
        contact="delivery__contact",
        subscriber="delivery__subscriber",
        own_only=True,
    ),
    # History lines quote addresses and names ("Imported Lois Lane <lois@…>").
    Place("contacts.ContactEvent", ("detail",), contact="contact"),
    # Staff's notes of calls and pitches: about the person, whoever wrote them.
    Place("contacts.ContactNote", ("text",), contact="contact", own=DELETE, export="notes"),
    # An upload's first rows and its report, kept for the mapping and result pages.
    Place("contacts.ImportJob", ("file_name", "head", "invalid_rows", "skipped_rows", "message")),
    # Where a suppression came from ("bounce of a mailing to …"); the address itself: erasure.py.
    Place("contacts.Suppression", ("source",)),
    # The admin's log names the object changed, and what changed.
    Place(
        "admin.LogEntry",
        ("object_repr", "change_message"),
        generic=True,
        own={"object_repr": "Erased {model} #{pk}", "change_message": ""},
    ),
    # django-reversion keeps a serialized copy of every field of a registered model.
    Place("reversion.Version", ("object_repr", "serialized_data"), generic=True, own=DELETE),
    Place("reversion.Revision", ("comment",)),
    # The queue keeps a task's arguments and result: a sign-up's address is its argument.
    Place(
        "django_tasks_database.DBTaskResult",
        ("args_kwargs", "return_value", "exception_class_path", "traceback"),
    ),
]


def installed_places():
    """(place, model) for the places whose app is installed."""
    return [(place, model) for place in PLACES if (model := place.get_model()) is not None]
