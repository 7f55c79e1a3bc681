"""Topics are a list editors pick from: found in any case, never made by typing on a release,
made on purpose by editors allowed to, unique whatever the capitals, and merged with their
releases, followers and addresses."""

import pytest
from django.db import IntegrityError, transaction

from contacts.models import MediaContact, Segment, Subscriber
from press.models import Release, TaggedRelease, Topic, TopicRedirect
from tests.factories import (
    form_data,
    make_media_contact,
    make_release,
    make_subscriber,
    make_topic,
    make_user,
)
from tests.markup import elements
from tests.pages import count_queries, get_page, logged_in, messages_of

pytestmark = pytest.mark.django_db


def autocomplete(client, term):
    params = {"app_label": "press", "model_name": "release", "field_name": "topics", "term": term}
    return client.get("/admin/autocomplete/", params)


def test_two_topics_never_differ_only_in_capitals():
    make_topic("Water Resilience")
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="water resilience", slug="water-resilience-2")
    assert list(Topic.objects.values_list("name", flat=True)) == ["Water Resilience"]


def test_the_topic_form_refuses_a_name_that_differs_only_in_capitals():
    make_topic("Water Resilience")
    client = logged_in(make_user("erin", "Editor"))
    response = client.post(
        "/admin/press/topic/add/", {"name": "WATER resilience", "slug": "water-2"}
    )
    assert response.status_code == 200
    assert "There is a topic of this name already (capitals aside)" in response.content.decode()
    assert Topic.objects.count() == 1


def test_typing_part_of_a_name_in_any_case_finds_the_topic(client):
    water = make_topic("Water Resilience")
    make_topic("Extreme Heat")
    client = logged_in(make_user("casey", "Contributor"))

    [picker] = [
        select
        for select in elements(get_page(client, "/admin/press/release/add/"), "select")
        if select.get("name") == "topics"
    ]
    assert picker["data-field-name"] == "topics" and "multiple" in picker
    assert "admin-autocomplete" in picker["class"]

    response = autocomplete(client, "water resilience")

    assert response.json()["results"] == [{"id": str(water.pk), "text": "Water Resilience"}]
    assert autocomplete(client, "RESIL").json()["results"] == response.json()["results"]


def test_a_release_is_saved_with_the_topics_picked_and_typing_a_name_makes_none():
    water = make_topic("Water Resilience")
    release = make_release("Rain gardens", topics=[])
    client = logged_in(make_user("erin", "Editor"))
    url = f"/admin/press/release/{release.pk}/change/"

    typed = client.post(url, form_data(get_page(client, url), topics=["Floods"]))
    assert typed.status_code == 200  # the form is shown again, with the error
    assert typed.context["adminform"].form.errors["topics"] == [
        "Pick topics from the list: “Floods” is not one of them."
    ]
    assert list(Topic.objects.values_list("name", flat=True)) == ["Water Resilience"]

    picked = client.post(url, form_data(get_page(client, url), topics=[str(water.pk)]))
    assert picked.status_code == 302
    assert list(Release.objects.get(pk=release.pk).topics.all()) == [water]


def test_only_editors_allowed_to_make_topics_get_the_add_button_and_the_add_page():
    writer = logged_in(make_user("casey", "Contributor"))
    editor = logged_in(make_user("erin", "Editor"))

    assert 'id="add_id_topics"' not in get_page(writer, "/admin/press/release/add/")
    assert writer.get("/admin/press/topic/add/").status_code == 403
    assert 'id="add_id_topics"' in get_page(editor, "/admin/press/release/add/")
    response = editor.post("/admin/press/topic/add/", {"name": "Floods", "slug": "floods"})
    assert response.status_code == 302
    assert list(Topic.objects.values_list("name", flat=True)) == ["Floods"]


def test_merging_moves_releases_followers_beats_and_the_old_address(client):
    kept, merged = make_topic("Water Resilience"), make_topic("Water resilience.", slug="water")
    both = make_release("Both topics", topics=[kept, merged])
    only_merged = make_release("Only the merged one", topics=[merged])
    reader = make_subscriber("reader@example.org", all_topics=False)
    reader.topics.set([merged])
    reporter = make_media_contact()
    reporter.beats.set([kept, merged])
    beat = {"field": "beat", "operator": "any_of", "values": [merged.pk, kept.pk]}
    segment = Segment.objects.create(
        name="Water desks", rules={"join": "or", "groups": [{"join": "and", "conditions": [beat]}]}
    )

    kept.merge([merged])

    assert sorted(TaggedRelease.objects.values_list("content_object__title", "tag__name")) == [
        ("Both topics", "Water Resilience"),
        ("Only the merged one", "Water Resilience"),
    ]
    assert list(Subscriber.objects.get(pk=reader.pk).topics.all()) == [kept]
    assert list(MediaContact.objects.get(pk=reporter.pk).beats.all()) == [kept]
    segment.refresh_from_db()
    assert segment.rules["groups"][0]["conditions"][0]["values"] == [kept.pk]
    assert list(segment.contacts()) == [reporter]
    assert list(Topic.objects.all()) == [kept]
    response = client.get("/topics/water/")
    assert (response.status_code, response["Location"]) == (301, "/topics/water-resilience/")
    feed = client.get("/topics/water/feed/atom/")
    assert (feed.status_code, feed["Location"]) == (301, "/topics/water-resilience/feed/atom/")
    assert client.get("/topics/no-such-topic/feed/atom/").status_code == 404
    assert {both, only_merged} == set(Release.objects.filter(tagged_items__tag=kept))


def test_a_topic_merged_twice_keeps_every_old_address_leading_to_the_last_one(client):
    first, second, third = make_topic("Floods"), make_topic("Flooding"), make_topic("Flood")
    make_release("Flood plan", topics=[first])
    second.merge([third])
    first.merge([second])
    assert sorted(TopicRedirect.objects.values_list("slug", "topic__slug")) == [
        ("flood", "floods"),
        ("flooding", "floods"),
    ]
    assert client.get("/topics/flood/")["Location"] == "/topics/floods/"


def test_a_merge_that_fails_half_way_changes_nothing(monkeypatch):
    kept, merged = make_topic("Water Resilience"), make_topic("Water resilience.", slug="water")
    make_release("Only the merged one", topics=[merged])

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(TopicRedirect.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        kept.merge([merged])

    assert list(TaggedRelease.objects.values_list("tag__name", flat=True)) == ["Water resilience."]
    assert sorted(Topic.objects.values_list("name", flat=True)) == [
        "Water Resilience",
        "Water resilience.",
    ]


def test_the_merge_action_asks_which_topic_to_keep_then_merges():
    kept, merged = make_topic("Water Resilience"), make_topic("Water resilience.", slug="water")
    make_release("One", topics=[kept])
    make_release("Two", topics=[kept])
    make_release("Three", topics=[merged])
    client = logged_in(make_user("erin", "Editor"))
    selected = {"action": "merge_topics", "_selected_action": [kept.pk, merged.pk]}

    asked = get_page_after_post(client, selected)
    assert "Water Resilience (2 releases)" in asked
    assert "Water resilience. (1 release)" in asked

    done = client.post("/admin/press/topic/", {**selected, "kept": kept.pk}, follow=True)
    assert messages_of(done) == [
        "Merged “Water resilience.” into “Water Resilience”: their releases and followers "
        "moved, and their addresses now lead to it."
    ]
    assert list(Topic.objects.all()) == [kept]
    assert kept.tagged_releases.count() == 3


def test_only_those_allowed_may_merge_topics():
    kept, merged = make_topic("Water Resilience"), make_topic("Water resilience.", slug="water")
    writer = logged_in(make_user("casey", "Contributor"))
    selected = {"action": "merge_topics", "_selected_action": [kept.pk, merged.pk]}
    writer.post("/admin/press/topic/", {**selected, "kept": kept.pk})
    assert Topic.objects.count() == 2


def get_page_after_post(client, data):
    response = client.post("/admin/press/topic/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_the_topic_list_takes_as_many_queries_for_three_topics_as_for_one():
    client = logged_in(make_user("erin", "Editor"))
    make_release("One", topics=[make_topic("Floods")])
    get_page(client, "/admin/press/topic/")  # the site settings, read once after a change
    one = count_queries(client, "/admin/press/topic/")
    make_release("Two", topics=[make_topic("Extreme Heat"), make_topic("Water Resilience")])
    page = get_page(client, "/admin/press/topic/")
    assert count_queries(client, "/admin/press/topic/") == one
    assert "Water Resilience" in page and "Extreme Heat" in page
