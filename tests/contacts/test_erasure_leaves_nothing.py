"""After an erasure (or a deletion) through the admin, the address is nowhere in the database:
not in `dumpdata` of every app, and not in any column of any table, read with SQL as pg_dump
would. Before it, the same scan finds it in every place it was written, so the
scan is known to look where it should."""

import io
import urllib.parse

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from reversion.models import Revision, Version

from contacts.models import (
    ContactEvent,
    ContactNote,
    DeliveryEvent,
    EmbargoOpen,
    ErasedAddress,
    ImportJob,
    MediaContact,
    Suppression,
)
from tests.factories import (
    form_data,
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_release,
    make_subscriber,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lois.lane@planet.example"
ENCODED = urllib.parse.quote(EMAIL, safe="")  # lois.lane%40planet.example
CHANGE_URL = "/admin/contacts/mediacontact/{}/change/"

EVERY_PLACE = {
    "contacts_mediacontact",
    "contacts_mailing",
    "contacts_subscriber",
    "contacts_delivery",
    "contacts_deliveryevent",
    "contacts_contactevent",
    "contacts_contactnote",
    "contacts_importjob",
    "contacts_suppression",
    "django_admin_log",
    "reversion_version",
    "reversion_revision",
    "django_tasks_database_dbtaskresult",
}


def tables_holding(text):
    """{table: [columns]} of every table with `text` (in any case) in any column, every column
    read as text: what a pg_dump of the database would show."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT count(*) FROM {quote(table)} "
                    f"WHERE lower(CAST({quote(column.name)} AS TEXT)) LIKE %s",
                    [f"%{text.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.setdefault(table, []).append(column.name)
    return found


def dump():
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def lois_everywhere(officer_client, subscribed=True):
    """Lois, with her address written everywhere a press office's work writes it (and, if
    `subscribed`, as a subscriber too)."""
    lois = make_media_contact("Lois", "Lane", email=EMAIL, phone="+1 555 0100")
    make_media_list("Climate desks", contacts=[lois])
    ContactNote.objects.create(contact=lois, text=f"Call her first; {EMAIL} is read weekly.")
    # An edit in the admin: a log entry naming her, a history line.
    page = officer_client.get(CHANGE_URL.format(lois.pk)).content.decode()
    officer_client.post(
        CHANGE_URL.format(lois.pk), form_data(page, "mediacontact_form", job_title="Reporter")
    )
    # Two sends: one delivered, opened, clicked (the link carries her address) and opened
    # through her embargo link; one bounced, the server quoting her address.
    sent = make_delivery(
        make_mailing(make_release("Heat plan"), personal_note=f"Lois ({EMAIL}) asked for it."),
        lois,
        status="sent",
    )
    for kind, url, detail in [
        ("delivered", "", f"250 2.0.0 OK <{EMAIL}>"),
        ("opened", "", ""),
        ("clicked", f"https://newsroom.example/r/?to={ENCODED}&u=https%3A%2F%2Fa.example", ""),
        ("clicked", f"https://a.example/?utm_content={EMAIL.upper()}", ""),
    ]:
        DeliveryEvent.objects.create(
            delivery=sent, kind=kind, source="provider", url=url, detail=detail
        )
    EmbargoOpen.objects.create(delivery=sent)
    bounced = make_delivery(
        make_mailing(make_release("Flood plan")),
        lois,
        status="failed",
        error=f"550 5.1.1 <{EMAIL}>: mailbox unavailable",
    )
    DeliveryEvent.objects.create(delivery=bounced, kind="bounced", source="provider")
    Suppression.objects.suppress(EMAIL, Suppression.Reason.HARD_BOUNCE, f"Bounce of {EMAIL}")
    # Someone else's history, and the log of another object, quote her address.
    clark = make_media_contact("Clark", "Kent", notes=f"Shares a desk with {EMAIL}")
    ContactEvent.objects.create(contact=clark, kind="updated", detail=f"Desk mate of {EMAIL}")
    ContactNote.objects.create(contact=clark, text=f"Said to copy {EMAIL} on the heat plan.")
    LogEntry.objects.log_actions(
        user_id=officer_client.session["_auth_user_id"],
        queryset=[clark],
        action_flag=CHANGE,
        change_message=f"Replaced {EMAIL}",
    )
    # A revision of her record, as django-reversion stores it.
    revision = Revision.objects.create(date_created=timezone.now(), comment=f"Edited {EMAIL}")
    Version.objects.create(
        revision=revision,
        object_id=str(lois.pk),
        content_type=ContentType.objects.get_for_model(MediaContact),
        db="default",
        format="json",
        serialized_data=serializers.serialize("json", [lois]),
        object_repr=f"{lois} <{EMAIL}>",
    )
    # A contacts file waiting for its mapping, its first rows kept for the mapping page.
    ImportJob.objects.create(
        file_name="planet.csv",
        format="csv",
        status="done",
        head=[["Name", "Email"], ["Lois Lane", EMAIL]],
        invalid_rows=[{"row": 3, "reason": f"{EMAIL} appears twice"}],
    )
    if not subscribed:
        return lois
    # She also subscribed to the newsroom's releases: the sign-up task kept her address.
    make_subscriber(EMAIL, status="confirmed")
    DBTaskResult.objects.create(
        args_kwargs={"args": [EMAIL], "kwargs": {}},
        task_path="contacts.subscriptions.sign_up",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
        return_value={"sent": True},
    )
    return lois


def test_after_an_erasure_in_the_admin_the_address_is_nowhere_in_the_database(officer_client):
    lois = lois_everywhere(officer_client)
    assert set(tables_holding(EMAIL)) == EVERY_PLACE
    assert set(tables_holding(ENCODED)) == {"contacts_deliveryevent"}

    page = officer_client.get(f"/admin/contacts/mediacontact/{lois.pk}/erase/")
    assert "Subscriber #" in page.content.decode()  # she is told the subscription goes too
    response = officer_client.post(f"/admin/contacts/mediacontact/{lois.pk}/erase/")

    assert response.status_code == 302
    assert tables_holding(EMAIL) == {}
    assert tables_holding(ENCODED) == {}
    assert tables_holding("+1 555 0100") == {}
    assert tables_holding("Lois") == {}
    dumped = dump()
    assert EMAIL not in dumped
    assert ENCODED.lower() not in dumped
    assert '"contacts.deliveryevent"' in dumped  # the dump did hold the events
    # What stays: the rows (counts), and digests that keep her out of imports and sends.
    assert DeliveryEvent.objects.count() == 5
    assert EmbargoOpen.objects.count() == 1
    assert ErasedAddress.objects.among([EMAIL]) == {EMAIL: "erased on request"}
    assert Suppression.objects.covers(EMAIL.upper())


def test_after_a_deletion_in_the_admin_the_address_is_nowhere_in_the_database(officer_client):
    lois = lois_everywhere(officer_client, subscribed=False)
    assert set(tables_holding(EMAIL)) == EVERY_PLACE - {
        "contacts_subscriber",
        "django_tasks_database_dbtaskresult",
    }

    response = officer_client.post(
        f"/admin/contacts/mediacontact/{lois.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not MediaContact.objects.filter(pk=lois.pk).exists()
    assert tables_holding(EMAIL) == {}
    assert tables_holding(ENCODED) == {}
    assert tables_holding("Lois") == {}
    assert EMAIL not in dump()
    # A bounced address stays suppressed, as a digest.
    assert Suppression.objects.covers(EMAIL)


def test_deleting_a_contact_leaves_the_address_to_the_subscriber_who_holds_it(officer_client):
    lois = lois_everywhere(officer_client)

    officer_client.post(f"/admin/contacts/mediacontact/{lois.pk}/delete/", {"post": "yes"})

    # Her own rows are rid of it; the subscription, its task and what quotes it keep it.
    assert set(tables_holding(EMAIL)) == {
        "contacts_subscriber",
        "contacts_suppression",
        "contacts_mediacontact",
        "contacts_mailing",
        "contacts_contactevent",
        "contacts_contactnote",
        "contacts_importjob",
        "django_admin_log",
        "reversion_revision",
        "django_tasks_database_dbtaskresult",
    }
    assert not DeliveryEvent.objects.filter(url__icontains="planet").exists()
    assert not MediaContact.objects.filter(pk=lois.pk).exists()
