"""Erasure and retention at scale: how long erasing one journalist takes, and a bulk delete of
twenty, when the delivery log holds a million emails (and as many provider events and history
lines); and how long the retention pass takes over that log.

    .venv/bin/python -m bench.erasure                    (database newsroom_erasure_bench)
    .venv/bin/python -m bench.erasure --contacts 20000 --mailings 10
    .venv/bin/python -m bench.erasure --database-url postgres://postgres@127.0.0.1:5432/other

The database is created, migrated and filled when it has no contacts (`--contacts` journalists,
each sent `--mailings` releases: one delivery, one provider event whose link carries the
address for one in ten, and one history line each; an admin log line per contact), then kept.
Each measured erasure is rolled back, so runs can be repeated on the same data.
"""

import argparse
import os
import time
from urllib.parse import urlparse


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_erasure_bench"
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--mailings", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.pop("TESTING", None)
    create_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill(args.contacts, args.mailings)
    measure()


def create_database(url):
    import psycopg2

    name = urlparse(url).path.lstrip("/")
    server = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def fill(contacts, mailings):
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from contacts.models import MediaContact
    from tests.factories import make_mailing, make_release

    if MediaContact.objects.exists():
        return
    started = time.perf_counter()
    with transaction.atomic():
        user = User.objects.create_user("bench", is_staff=True)
        mailing_ids = [make_mailing(make_release(f"Release {n}")).pk for n in range(mailings)]
        content_type = ContentType.objects.get_for_model(MediaContact).pk
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO contacts_mediacontact (first_name, last_name, email, phone, job_title,
                    regions, languages, country, time_zone, language, notes, source,
                    consent_basis, do_not_contact, do_not_contact_reason, created_at, updated_at)
                SELECT 'First' || n, 'Last' || n, 'contact' || n || '@example.org', '', '', '',
                    '', '', '', '', '', 'bench', '', false, '', now(), now()
                FROM generate_series(1, %s) n
                """,
                [contacts],
            )
            cursor.execute(
                """
                INSERT INTO contacts_delivery (mailing_id, email, contact_id, status, claimed_by,
                    sent_at, attempts, error)
                SELECT m, c.email, c.id, 'sent', '', now() - (c.id %% 1000) * interval '1 day',
                    1, '250 2.0.0 OK <' || c.email || '>'
                FROM contacts_mediacontact c CROSS JOIN unnest(%s::int[]) m
                """,
                [mailing_ids],
            )
            cursor.execute(
                """
                INSERT INTO contacts_deliveryevent (delivery_id, kind, source, at, url,
                    provider_event_id, detail)
                SELECT d.id, 'clicked', 'redirect', d.sent_at,
                    CASE WHEN d.id % 10 = 0
                        THEN 'https://a.example/?u=' || replace(d.email, '@', '%40')
                        ELSE 'https://a.example/page' END,
                    '', ''
                FROM contacts_delivery d
                """
            )
            cursor.execute(
                """
                INSERT INTO contacts_contactevent (contact_id, kind, detail, created_at)
                SELECT d.contact_id, 'sent', 'Release ' || d.mailing_id, d.sent_at
                FROM contacts_delivery d
                """
            )
            cursor.execute(
                """
                INSERT INTO django_admin_log (action_time, user_id, content_type_id, object_id,
                    object_repr, action_flag, change_message)
                SELECT now(), %s, %s, c.id::text, c.first_name || ' ' || c.last_name, 2,
                    '[{"changed": {"fields": ["Email"]}}]'
                FROM contacts_mediacontact c
                """,
                [user.pk, content_type],
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Filled in {time.perf_counter() - started:.0f} s")  # noqa: T201


class Rollback(Exception):
    pass


def timed(work):
    """Seconds `work` takes, in a transaction rolled back afterwards."""
    from django.db import transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            work()
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        return elapsed


def measure():
    from django.utils import timezone

    from contacts.models import Delivery, DeliveryEvent, MediaContact
    from contacts.privacy.erasure import erase, erase_many, preview
    from contacts.privacy.retention import forget_old_logs

    say = print  # noqa: T201
    say(
        f"{MediaContact.objects.count():,} contacts, {Delivery.objects.count():,} deliveries, "
        f"{DeliveryEvent.objects.count():,} events"
    )
    one = MediaContact.objects.order_by("pk")[500]
    twenty = list(MediaContact.objects.order_by("pk")[1000:1020])
    say(f"erasure preview (the confirmation page): {timed(lambda: preview(one)):.1f} s")
    say(f"erase one contact: {timed(lambda: erase(one)):.1f} s")
    say(f"delete 20 contacts (erase_many): {timed(lambda: erase_many(twenty, alone=True)):.1f} s")
    now = timezone.now()
    retention = timed(lambda: forget_old_logs(now))
    say(f"retention, a full pass (about a quarter of the log old): {retention:.1f} s")


if __name__ == "__main__":
    main()
