"""bench.generate_data, in a small run on the test database (`make bench` runs it at 100,000
releases).

The command refuses a database that already has data rather than adding to it or guessing what
to delete; the refusal is tested here, and the repeatability test rolls its first run back.
"""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from bench.generate.command import TABLES, Command
from contacts.models import MediaContact, MediaList, Outlet, PressContact, Subscriber
from press.models import (
    Organization,
    Person,
    Quote,
    Release,
    ReleaseRead,
    Role,
    TaggedRelease,
    Topic,
)
from press.search_config import search_config
from tests.servers import database_url

pytestmark = pytest.mark.django_db

SIZES = {
    "releases": 30,
    "people": 10,
    "organizations": 5,
    "topics": 8,
    "contacts": 50,
    "subscribers": 20,
}
ROOT = Path(__file__).resolve().parent.parent.parent


def generate(seed=1, **sizes):
    """A small run, in batches of 7 so that batching is exercised too."""
    output = io.StringIO()
    options = {**SIZES, **sizes}
    call_command(Command(), seed=seed, batch_size=7, stdout=output, **options)
    return output.getvalue()


def snapshot():
    """What a run made that must not depend on when it ran: names, slugs, addresses, links."""
    return {
        "releases": list(
            Release.objects.order_by("pk").values_list(
                "title", "slug", "status", "dateline_place", "summary", "byline__slug"
            )
        ),
        "topics": list(
            TaggedRelease.objects.order_by("content_object_id", "tag__name").values_list(
                "content_object__slug", "tag__name"
            )
        ),
        "quotes": list(Quote.objects.order_by("pk").values_list("person__slug", "text")),
        "people": list(Person.objects.order_by("pk").values_list("name", "slug")),
        "contacts": list(MediaContact.objects.order_by("pk").values_list("email", flat=True)),
        "subscribers": list(
            Subscriber.objects.order_by("pk").values_list("email", "status", "all_topics")
        ),
    }


def test_it_makes_the_numbers_asked_for():
    output = generate()

    assert Release.objects.count() == 30
    assert Person.objects.count() == 10
    assert Organization.objects.count() == 5
    assert Topic.objects.count() == 8
    assert MediaContact.objects.count() == 50
    assert Subscriber.objects.count() == 20
    # One outlet per 500 contacts, at least one; 100 media lists; every person has a role.
    assert Outlet.objects.count() == 1
    assert MediaList.objects.count() == 100
    assert set(Role.objects.values_list("person", flat=True)) == set(
        Person.objects.values_list("pk", flat=True)
    )
    # The press contacts every release page shows, whatever the sizes.
    assert PressContact.objects.count() == 7
    assert re.search(r"Generated in [\d.]+ s; peak memory \d+ MB\.", output)


def test_zero_makes_none_of_a_kind():
    generate(contacts=0, subscribers=0, releases=0)

    assert Release.objects.count() == 0
    assert MediaContact.objects.count() == 0
    assert Outlet.objects.count() == 0
    assert Subscriber.objects.count() == 0
    assert Person.objects.count() == 10


def test_releases_need_an_organization_for_their_byline():
    with pytest.raises(CommandError, match="--organizations must be at least 1"):
        generate(organizations=0)


def test_statuses_are_mixed_so_that_live_matters():
    generate()

    # Of releases 0 to 29: 3 and 28 are drafts, 7 is scheduled, 11 archived, 19 in review.
    assert Release.objects.live().count() == 25
    assert Release.objects.filter(status=Release.Status.DRAFT).count() == 2
    assert Release.objects.filter(status=Release.Status.IN_REVIEW).count() == 1
    assert Release.objects.filter(status=Release.Status.ARCHIVED).count() == 1
    assert Release.objects.scheduled().count() == 1
    assert Release.objects.live().filter(is_pinned=True).count() == 1
    # What Release.save() would have set on a published release.
    assert not Release.objects.live().filter(dateline_date=None).exists()
    assert not Release.objects.live().filter(boilerplate="").exists()


def test_release_text_is_as_long_as_a_real_release():
    generate()

    for summary, body in Release.objects.values_list("summary", "body"):
        assert 24 <= len(summary.split()) <= 45
        paragraphs = re.findall(r"<p>(.*?)</p>", body)
        assert len(paragraphs) == 5
        assert 270 <= sum(len(paragraph.split()) for paragraph in paragraphs) <= 370


def test_every_live_release_page_opens(client):
    generate()

    release = Release.objects.live().filter(quotes__isnull=False).first()
    page = client.get(release.get_absolute_url())

    assert page.status_code == 200
    assert release.title in page.content.decode()
    assert Quote.objects.filter(release=release).first().text in page.content.decode()


def test_reads_are_recorded_for_live_releases_only():
    generate()

    assert ReleaseRead.objects.exists()
    assert not ReleaseRead.objects.exclude(release__in=Release.objects.live()).exists()


def test_email_addresses_are_unique_and_stored_lower_case():
    generate()

    emails = list(MediaContact.objects.values_list("email", flat=True))
    assert len(set(emails)) == len(emails) == 50
    assert all(email == email.lower().strip() for email in emails)
    subscribers = list(Subscriber.objects.values_list("email", flat=True))
    assert len(set(subscribers)) == len(subscribers) == 20


def test_every_link_points_at_a_row_that_exists():
    """On PostgreSQL the load runs without foreign key triggers: check what they would have."""
    generate()

    for model in TABLES:
        for field in model._meta.concrete_fields:
            if field.is_relation:
                dangling = model.objects.exclude(**{f"{field.attname}__isnull": True}).exclude(
                    **{f"{field.attname}__in": field.related_model.objects.values("pk")}
                )
                assert not dangling.exists(), f"{model.__name__}.{field.name}"


def test_the_same_seed_gives_the_same_rows():
    with transaction.atomic():
        generate()
        first = snapshot()
        transaction.set_rollback(True)
    assert not Release.objects.exists()

    generate()

    assert snapshot() == first
    assert len(first["releases"]) == 30


def test_another_seed_gives_other_rows():
    with transaction.atomic():
        generate()
        first = snapshot()
        transaction.set_rollback(True)

    generate(seed=2)

    assert snapshot()["releases"] != first["releases"]


def test_a_database_with_data_is_refused():
    generate()

    with pytest.raises(CommandError, match=r"already has data \(5 organizations, 10 people"):
        generate()
    assert Release.objects.count() == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors are PostgreSQL's")
def test_search_vectors_are_those_a_save_would_store():
    """generate_data makes the vectors in Python; every one must be what PostgreSQL makes."""
    generate()

    stored = dict(Release.objects.values_list("pk", "search_vector"))
    # Releases with and without quotes, with and without a subtitle, are all compared.
    assert Release.objects.filter(quotes__isnull=False).exists()
    assert Release.objects.filter(quotes__isnull=True).exists()
    assert Release.objects.filter(subtitle="").exists()
    assert Release.objects.exclude(subtitle="").exists()
    for release in Release.objects.all():
        release.update_search_vector()
    assert dict(Release.objects.values_list("pk", "search_vector")) == stored
    # And search finds a release by a word of its title.
    release = Release.objects.filter(quotes__isnull=False).first()
    word = release.title.split()[-1]
    query = SearchQuery(word, config=search_config())
    assert release in Release.objects.filter(search_vector=query)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process opens the database")
def test_python_m_bench_generate_data_fills_the_database_it_is_given_and_refuses_it_after():
    """As `make bench` and bench/README.md start it: a module run from the repository's root on
    the database DATABASE_URL names, with the command's options and errors."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    options = [f"--{kind}={size}" for kind, size in SIZES.items()]
    command = [sys.executable, "-m", "bench.generate_data", *options, "--batch-size=7"]

    def run():
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert re.search(r"Generated in [\d.]+ s; peak memory \d+ MB\.", first.stdout)
    assert (Release.objects.count(), MediaContact.objects.count()) == (30, 50)

    second = run()
    assert second.returncode == 1
    assert "CommandError: This database already has data (5 organizations, 10 people" in (
        second.stderr
    )
    assert Release.objects.count() == 30


def test_each_release_is_a_translation_group_of_its_own():
    """A callable default (uuid4) is called per row, not once per batch of rows."""
    generate()
    keys = list(Release.objects.values_list("translation_key", flat=True))
    assert len(set(keys)) == len(keys) == 30
