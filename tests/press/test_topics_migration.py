"""The migrations to unique topic names merge the topics that differ only in capitals (their
releases, followers and addresses go to the one filed on most releases), and record the topics
alerts already sent told of, so that none is alerted again."""

import datetime
import json

import pytest

from tests.migrating import latest_schema_after, migrate  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("press", "0011_search_vector_kept_in_the_row"), ("contacts", "0013_delivery_events")]
AFTER = [("contacts", "0014_topics_alerted_topics")]


def test_topics_differing_only_in_capitals_become_the_one_on_most_releases():
    old = migrate(BEFORE)
    Topic, Release = old.get_model("press", "Topic"), old.get_model("press", "Release")
    TaggedRelease = old.get_model("press", "TaggedRelease")
    Organization, Subscriber = (
        old.get_model("press", "Organization"),
        old.get_model("contacts", "Subscriber"),
    )
    Mailing = old.get_model("contacts", "Mailing")
    byline = Organization.objects.create(name="City of Houston", slug="houston")
    lower = Topic.objects.create(name="water resilience", slug="water-resilience")
    upper = Topic.objects.create(name="Water Resilience", slug="water-resilience-1")
    heat = Topic.objects.create(name="Extreme Heat", slug="extreme-heat")
    releases = [
        Release.objects.create(title=title, slug=title.lower(), byline=byline)
        for title in ("One", "Two", "Three")
    ]
    for release, topic in [
        (releases[0], upper),
        (releases[1], upper),
        (releases[1], lower),
        (releases[2], upper),
        (releases[2], heat),
    ]:
        TaggedRelease.objects.create(content_object=release, tag=topic)
    reader = Subscriber.objects.create(email="reader@example.org", all_topics=False)
    reader.topics.set([lower])
    Mailing.objects.create(kind="alert", release=releases[2], status="done")
    # Versions saved when release Two had both spellings and One the lower-case one.
    ContentType = old.get_model("contenttypes", "ContentType")
    Revision, Version = (
        old.get_model("reversion", "Revision"),
        old.get_model("reversion", "Version"),
    )
    tagged_type = ContentType.objects.get(app_label="press", model="taggedrelease")
    revision = Revision.objects.create(date_created=datetime.datetime.now(datetime.UTC))
    saved = [(91, releases[1], upper), (92, releases[1], lower), (93, releases[0], lower)]
    for pk, release, topic in saved:
        Version.objects.create(
            revision=revision, object_id=str(pk), content_type=tagged_type, db="default",
            format="json", object_repr=f"{release.title} / {topic.name}",
            serialized_data=json.dumps([{"model": "press.taggedrelease", "pk": pk, "fields": {
                "tag": topic.pk, "content_object": release.pk}}]),
        )  # fmt: skip
    Segment = old.get_model("contacts", "Segment")
    beat = {"field": "beat", "operator": "is", "values": [lower.pk]}
    Segment.objects.create(
        name="Water desks", rules={"join": "or", "groups": [{"join": "and", "conditions": [beat]}]}
    )

    new = migrate(AFTER)

    Topic, TaggedRelease = new.get_model("press", "Topic"), new.get_model("press", "TaggedRelease")
    TopicRedirect = new.get_model("press", "TopicRedirect")
    AlertedTopic = new.get_model("contacts", "AlertedTopic")
    assert sorted(Topic.objects.values_list("name", "slug")) == [
        ("Extreme Heat", "extreme-heat"),
        ("Water Resilience", "water-resilience-1"),
    ]
    assert sorted(TaggedRelease.objects.values_list("content_object__title", "tag__name")) == [
        ("One", "Water Resilience"),
        ("Three", "Extreme Heat"),
        ("Three", "Water Resilience"),
        ("Two", "Water Resilience"),
    ]
    assert list(TopicRedirect.objects.values_list("slug", "topic__name")) == [
        ("water-resilience", "Water Resilience")
    ]
    Subscriber = new.get_model("contacts", "Subscriber")
    assert list(
        Subscriber.objects.get(email="reader@example.org").topics.values_list("name", flat=True)
    ) == ["Water Resilience"]
    versions = new.get_model("reversion", "Version").objects.order_by("object_id")
    assert [(v.object_id, v.object_repr) for v in versions] == [
        ("91", "Two / Water Resilience"),
        ("93", "One / Water Resilience"),
    ]
    assert json.loads(versions[1].serialized_data)[0]["fields"]["tag"] == upper.pk
    [segment] = new.get_model("contacts", "Segment").objects.all()
    assert segment.rules["groups"][0]["conditions"][0]["values"] == [upper.pk]
    assert sorted(AlertedTopic.objects.values_list("release__title", "topic__name")) == [
        ("Three", "Extreme Heat"),
        ("Three", "Water Resilience"),
    ]
