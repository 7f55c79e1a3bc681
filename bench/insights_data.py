"""The data of bench/insights.py, made by PostgreSQL with generate_series: each table one
INSERT ... SELECT. Columns not named here get a plain value of their type (found in the
catalogue), so a column added to a model later does not break the bench."""

import time

from django.db import connection

YEARS = 5
HOSTS = ["www.google.com", "news.example.org", "t.co", "www.linkedin.com", "cities.example"]

FILLED = [
    "press_release", "press_topic", "press_taggedrelease", "press_releaseread",
    "press_releasereadhour", "press_releasereferrer", "contacts_subscriber",
    "contacts_subscriber_topics", "contacts_outlet", "contacts_mediacontact", "contacts_mailing",
    "contacts_delivery", "contacts_deliveryevent", "contacts_coverage",
]  # fmt: skip

PLAIN = {
    "text": "''",
    "character varying": "''",
    "boolean": "false",
    "integer": "0",
    "smallint": "0",
    "bigint": "0",
    "timestamp with time zone": "now()",
    "date": "current_date",
    "uuid": "gen_random_uuid()",
    "jsonb": "'{}'::jsonb",
    "tsvector": "''::tsvector",
}


def required_columns(cursor, table):
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
        [table],
    )
    return dict(cursor.fetchall())


def insert(cursor, table, source, /, **values):
    """INSERT INTO table SELECT the `values` (SQL expressions) FROM `source`."""
    columns = {name: PLAIN[kind] for name, kind in required_columns(cursor, table).items()}
    columns.update(values)
    names = ", ".join(f'"{name}"' for name in columns)
    cursor.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {", ".join(columns.values())} FROM {source}'
    )
    return cursor.rowcount


def first_id(cursor, table):
    cursor.execute(f'SELECT min(id) FROM "{table}"')
    return cursor.fetchone()[0]


def fill(options, report):
    steps = [
        ("releases", releases),
        ("topics and their releases", topics),
        ("reads per day", reads),
        ("reads per hour and referrers (newest 1,000 releases)", hours),
        ("subscribers and the topics they follow", subscribers),
        ("outlets and media contacts", contacts),
        ("mailings, emails and their events", mailings),
        ("coverage", coverage),
    ]
    with connection.cursor() as cursor:
        # As a restore does: no foreign key checks row by row (the generator keeps them), and
        # the indexes that back no constraint built once at the end.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname "
            "NOT IN (SELECT conname FROM pg_constraint) AND tablename = ANY(%s)",
            [FILLED],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for label, step in steps:
            started = time.perf_counter()
            rows = step(cursor, options)
            report(f"{label}: {rows:,} rows", time.perf_counter() - started)
        started = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = origin")
        report(f"{len(indexes)} indexes built again", time.perf_counter() - started)
        started = time.perf_counter()
        cursor.execute("ANALYZE")
        report("ANALYZE", time.perf_counter() - started)


def releases(cursor, options):
    insert(cursor, "press_organization", "generate_series(1, 1) AS n", name="'Bench City'",
           slug="'bench-city'")  # fmt: skip
    byline = first_id(cursor, "press_organization")
    step = f"interval '{YEARS * 365} days' / {options.releases}"
    return insert(
        cursor,
        "press_release",
        f"generate_series(1, {options.releases}) AS n",
        title="'Release ' || n",
        byline_id=str(byline),
        dateline_time_zone="'UTC'",
        slug="'release-' || n",
        status="'published'",
        published_at=f"now() - (n - 1) * {step}",
        dateline_date=f"(now() - (n - 1) * {step})::date",
        created_at=f"now() - (n - 1) * {step}",
        updated_at=f"now() - (n - 1) * {step}",
    )


def topics(cursor, options):
    made = insert(
        cursor,
        "press_topic",
        "generate_series(1, 50) AS n",
        name="'Topic ' || n",
        slug="'topic-' || n",
    )
    topic = first_id(cursor, "press_topic")
    return made + insert(
        cursor,
        "press_taggedrelease",
        "press_release AS r, generate_series(0, 1) AS k",
        content_object_id="r.id",
        tag_id=f"{topic} + (r.id * 7 + k * 25) % 50",
    )


def reads(cursor, options):
    """Each release read every day for its first `days_read` days, less and less."""
    return insert(
        cursor,
        "press_releaseread",
        f"press_release AS r, generate_series(0, {options.days_read - 1}) AS d "
        "WHERE r.published_at::date + d <= current_date",
        release_id="r.id",
        day="r.published_at::date + d",
        count="1 + (400 / (d + 1)) + r.id % 13",
    )


def hours(cursor, options):
    hour = "date_trunc('hour', r.published_at) + h * interval '1 hour'"
    newest = (
        "(SELECT id, published_at FROM press_release ORDER BY published_at DESC LIMIT 1000) AS r"
    )
    made = insert(
        cursor,
        "press_releasereadhour",
        f"{newest}, generate_series(0, 47) AS h WHERE {hour} <= now()",
        release_id="r.id",
        hour=hour,
        count="1 + 200 / (h + 1)",
    )
    hosts = "ARRAY[" + ", ".join(f"'{host}'" for host in HOSTS) + "]"
    return made + insert(
        cursor,
        "press_releasereferrer",
        f"{newest}, generate_series(1, {len(HOSTS)}) AS k",
        release_id="r.id",
        host=f"({hosts})[k]",
        count="1000 / k",
    )


def subscribers(cursor, options):
    """Sign-ups over three years: 7 in 10 confirmed, 2 of them left since, 1 pending."""
    created = f"now() - (n * interval '3 years' / {options.subscribers})"
    made = insert(
        cursor,
        "contacts_subscriber",
        f"generate_series(1, {options.subscribers}) AS n",
        email="'reader' || n || '@example.org'",
        status="CASE WHEN n % 10 < 7 THEN 'confirmed' WHEN n % 10 < 9 THEN 'unsubscribed' "
        "ELSE 'pending' END",
        all_topics="n % 3 = 0",
        consented_at=created,
        created_at=created,
        confirmed_at=f"CASE WHEN n % 10 < 9 THEN {created} + interval '1 hour' END",
        unsubscribed_at=f"CASE WHEN n % 10 IN (7, 8) THEN {created} + interval '30 days' END",
    )
    topic = first_id(cursor, "press_topic")
    return made + insert(
        cursor,
        "contacts_subscriber_topics",
        "contacts_subscriber AS s WHERE NOT s.all_topics",
        subscriber_id="s.id",
        topic_id=f"{topic} + s.id % 50",
    )


def contacts(cursor, options):
    made = insert(
        cursor,
        "contacts_outlet",
        "generate_series(1, 2000) AS n",
        name="'Outlet ' || n",
    )
    outlet = first_id(cursor, "contacts_outlet")
    return made + insert(
        cursor,
        "contacts_mediacontact",
        f"generate_series(1, {options.contacts}) AS n",
        first_name="'First' || n",
        last_name="'Last' || n",
        email="'journalist' || n || '@example.com'",
        outlet_id=f"{outlet} + n % 2000",
        created_at="now()",
        updated_at="now()",
    )


def mailings(cursor, options):
    """Sends to media over the years, each to `recipients` contacts: 9 in 10 delivered, 1 in 3
    opened, 1 in 20 clicked, 1 in 33 bounced."""
    release = first_id(cursor, "press_release")
    step = f"interval '{YEARS * 365} days' / {options.mailings}"
    made = insert(
        cursor,
        "contacts_mailing",
        f"generate_series(1, {options.mailings}) AS n",
        kind="'distribution'",
        status="'done'",
        release_id=f"{release} + (n * {options.releases} / {options.mailings}) "
        f"% {options.releases}",
        created_at=f"now() - n * {step}",
    )
    contact = first_id(cursor, "contacts_mediacontact")
    made += insert(
        cursor,
        "contacts_delivery",
        f"contacts_mailing AS m, generate_series(1, {options.recipients}) AS k",
        mailing_id="m.id",
        contact_id=f"{contact} + (m.id * 7919 + k) % {options.contacts}",
        email=f"'journalist' || (1 + (m.id * 7919 + k) % {options.contacts}) || '@example.com'",
        status="'sent'",
        sent_at="m.created_at + k * interval '1 second'",
    )
    for kind, every in (("delivered", "d.id % 10 <> 0"), ("opened", "d.id % 3 = 0"),
                        ("clicked", "d.id % 20 = 0"), ("bounced", "d.id % 33 = 0")):  # fmt: skip
        made += insert(
            cursor,
            "contacts_deliveryevent",
            f"contacts_delivery AS d WHERE {every}",
            delivery_id="d.id",
            kind=f"'{kind}'",
            source="'provider'",
            at="d.sent_at + interval '1 hour'",
        )
    return made


def coverage(cursor, options):
    outlet = first_id(cursor, "contacts_outlet")
    return insert(
        cursor,
        "contacts_coverage",
        "press_release AS r WHERE r.id % 5 = 0",
        release_id="r.id",
        url="'https://outlet.example/' || r.id",
        outlet_id=f"{outlet} + r.id % 2000",
        published_on="r.published_at::date + 1",
        created_at="now()",
    )
