"""The release page: /releases/<yyyy>/<mm>/<dd>/<slug>/, every block a reader sees."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Subscriber
from press.models import PreviewLink
from tests.factories import (
    make_draft,
    make_office,
    make_organization,
    make_person,
    make_press_contact,
    make_quote,
    make_release,
    make_role,
    make_topic,
    make_user,
)
from tests.markup import card_titles, elements, links, section, text
from tests.pages import get_page, renders_of
from tests.tasks import run_queued_tasks

URL = "/releases/2021/09/23/cities-join-forces-on-heat/"
SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")


def on(day, hour=9):
    """A publication time in September 2021, Singapore time."""
    return datetime.datetime(2021, 9, day, hour, tzinfo=SINGAPORE)


def make_singapore_release(title="Cities join forces on heat", **fields):
    fields.setdefault("dateline_date", datetime.date(2021, 9, 23))
    fields.setdefault("published_at", on(23))
    fields.setdefault("dateline_place", "SINGAPORE")
    fields.setdefault("dateline_time_zone", "Asia/Singapore")
    return make_release(title, **fields)


@pytest.mark.django_db
def test_the_title_is_the_one_main_heading(client):
    make_singapore_release()
    page = get_page(client, URL)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Cities join forces on heat"]


@pytest.mark.django_db
def test_the_byline_names_and_links_the_writing_organization(client):
    make_singapore_release(byline=make_organization("Resilient Cities Network"))
    byline = re.search(r'<p class="byline">(.*?)</p>', get_page(client, URL)).group(1)
    assert text(byline) == "Written by Resilient Cities Network"
    assert links(byline) == [
        ("Resilient Cities Network", "/organizations/resilient-cities-network/")
    ]


@pytest.mark.django_db
def test_the_date_is_printed_with_its_weekday(client):
    make_singapore_release()
    date = re.search(r'<p class="date">(.*?)</p>', get_page(client, URL)).group(1)
    # 09:00 in Singapore is 01:00 UTC, the site's time zone.
    assert date == '<time datetime="2021-09-23T01:00:00+00:00">Thursday, 23 September 2021</time>'


@pytest.mark.django_db
def test_the_dateline_gives_place_and_date(client):
    make_singapore_release()
    assert re.findall(r'<p class="dateline">(.*?)</p>', get_page(client, URL)) == [
        "(SINGAPORE, September 23, 2021)"
    ]


@pytest.mark.django_db
def test_a_dateline_override_replaces_place_and_date(client):
    make_singapore_release(dateline_override="ABU DHABI, 23rd September, 2021 (WAM)")
    assert re.findall(r'<p class="dateline">(.*?)</p>', get_page(client, URL)) == [
        "ABU DHABI, 23rd September, 2021 (WAM)"
    ]


@pytest.mark.django_db
def test_the_body_is_rendered_as_html(client):
    make_singapore_release(body="<p>Leaders from <strong>40 cities</strong> met.</p>")
    assert re.findall(r'<div class="body">(.*?)</div>', get_page(client, URL), re.S) == [
        "<p>Leaders from <strong>40 cities</strong> met.</p>"
    ]


@pytest.mark.django_db
def test_a_script_in_the_body_is_removed_on_save(client):
    release = make_singapore_release(body="<p>Hello.</p><script>alert('owned')</script>")
    assert release.body == "<p>Hello.</p>"
    page = get_page(client, URL)
    # The only scripts on the page are JSON-LD data blocks, which browsers never run, and the
    # newsroom's own copy-link button.
    scripts = re.findall(r"<script[^>]*>", page)
    assert sorted(scripts, key=len) == [
        '<script type="application/ld+json">',
        '<script type="application/ld+json">',
        '<script src="/static/js/copy_link.js" defer>',
    ]
    assert "owned" not in page


@pytest.mark.django_db
def test_quotes_link_the_speaker_and_print_their_attribution(client):
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person("Lauren Sorkin")
    make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    mayor = make_person("Sylvester Turner")
    release = make_singapore_release(byline=rcn)
    make_quote(release, mayor, "Heat is a silent killer.", attribution="Mayor, City of Houston")
    make_quote(release, sorkin, "Cities lead.")
    quotes = section(get_page(client, URL), "quotes-heading")
    assert re.findall(r"<blockquote>(.*?)</blockquote>", quotes) == [
        "<p>“Heat is a silent killer.”</p>",
        "<p>“Cities lead.”</p>",
    ]
    assert [text(caption) for caption in re.findall(r"<figcaption>.*?</figcaption>", quotes)] == [
        "Sylvester Turner, Mayor, City of Houston",
        "Lauren Sorkin, Executive Director, Resilient Cities Network",
    ]
    assert links(quotes) == [
        ("Sylvester Turner", "/people/sylvester-turner/"),
        ("Lauren Sorkin", "/people/lauren-sorkin/"),
    ]


@pytest.mark.django_db
def test_the_boilerplate_comes_under_about_the_organization(client):
    make_singapore_release(
        byline=make_organization("Resilient Cities Network", boilerplate="We help cities.")
    )
    about = section(get_page(client, URL), "about-heading")
    assert text(about) == "About Resilient Cities Network We help cities."


@pytest.mark.django_db
def test_the_media_contact_is_named_with_email_and_phone_links(client):
    contact = make_person(
        "Sandra Mahmoud", email="press@resilientcitiesnetwork.org", phone="+65 6123 4567"
    )
    make_singapore_release(media_contact=contact)
    assert links(section(get_page(client, URL), "media-contact-heading")) == [
        ("Sandra Mahmoud", "/people/sandra-mahmoud/"),
        ("press@resilientcitiesnetwork.org", "mailto:press@resilientcitiesnetwork.org"),
        ("+65 6123 4567", "tel:+6561234567"),
    ]


@pytest.mark.django_db
def test_popular_topics_are_ordered_by_their_number_of_live_releases(client):
    heat, water, finance = make_topic("Heat"), make_topic("Water"), make_topic("Finance")
    make_topic("Unused")
    make_singapore_release(topics=[water])
    make_release("Heat one", published_at=on(1), topics=[heat, water])
    make_release("Heat two", published_at=on(2), topics=[heat, finance])
    make_release("Heat three", published_at=on(3), topics=[heat])
    # A draft would otherwise make Finance as popular as Water.
    make_draft("Finance draft", topics=[finance])
    # Shown on the home page; the release page's side column keeps to what journalists use.
    popular = section(get_page(client, "/"), "popular-heading")
    assert text(popular) == "Popular Topics Heat (3) Water (2) Finance (1)"
    assert links(popular) == [
        ("Heat", "/topics/heat/"),
        ("Water", "/topics/water/"),
        ("Finance", "/topics/finance/"),
    ]


@pytest.mark.django_db
def test_related_articles_share_a_topic_person_or_organization_by_weight_then_newest(client):
    heat = make_topic("Heat")
    turner = make_person("Sylvester Turner")
    houston = make_organization("City of Houston")
    release = make_singapore_release(topics=[heat])
    release.people.set([turner])
    release.organizations.set([houston])
    make_release("Shares the topic", published_at=on(10), topics=[heat])
    make_release("Shares the person", published_at=on(12)).people.set([turner])
    make_release("Shares the organization", published_at=on(30)).organizations.set([houston])
    make_release("Shares the topic but is older", published_at=on(1), topics=[heat])
    make_release("Shares nothing", published_at=on(20))
    make_draft("Draft sharing the topic", topics=[heat])
    related = section(get_page(client, URL), "related-heading")
    # A shared person weighs 3, a shared organization or topic 2; newer first on ties.
    assert card_titles(related) == [
        "Shares the person",
        "Shares the organization",
        "Shares the topic",
    ]


@pytest.mark.django_db
def test_you_may_also_be_interested_in_skips_related_articles_and_the_release_itself(client):
    rcn, other = make_organization("Resilient Cities Network"), make_organization("Other Org")
    heat = make_topic("Heat")
    make_singapore_release(byline=rcn, topics=[heat])
    make_release("Related by topic", byline=other, published_at=on(22), topics=[heat])
    make_release("Same byline, older", byline=rcn, published_at=on(1))
    make_release("Other byline, newest", byline=other, published_at=on(29))
    make_release("Other byline, newer", byline=other, published_at=on(28))
    make_release("Other byline, oldest", byline=other, published_at=on(2))
    page = get_page(client, URL)
    assert card_titles(section(page, "related-heading")) == ["Related by topic"]
    # The same byline first, then the newest of the rest.
    assert card_titles(section(page, "interesting-heading")) == [
        "Same byline, older",
        "Other byline, newest",
        "Other byline, newer",
    ]
    assert "Cities join forces on heat" not in card_titles(page)


@pytest.mark.django_db
def test_press_contacts_are_grouped_by_office_with_the_global_contact_first(client):
    london = make_office("London", order=2, time_zone="Europe/London")
    new_york = make_office("New York City", order=1)
    make_press_contact("Lina Ahmed", office=london)
    make_press_contact("Ana Gomez", office=new_york, order=2)
    make_press_contact("Thomas Halaczinsky", office=new_york, order=1)
    make_press_contact("Grace Global", office=None)
    make_press_contact("Private Pete", office=new_york, is_public=False)
    make_singapore_release()
    contacts = section(get_page(client, URL), "press-contacts-heading")
    assert re.findall(r"<h3>(.*?)</h3>", contacts) == ["New York City", "London"]
    assert re.findall(r"<strong>(.*?)</strong>", contacts) == [
        "Grace Global",
        "Thomas Halaczinsky",
        "Ana Gomez",
        "Lina Ahmed",
    ]
    assert links(contacts)[0] == ("grace-global@example.org", "mailto:grace-global@example.org")
    assert "Private Pete" not in get_page(client, URL)


@pytest.mark.django_db
def test_the_newsletter_form_asks_for_email_and_consent_and_posts_to_subscribe(client):
    make_singapore_release()
    signup = section(get_page(client, URL), "newsletter-heading")
    [form] = elements(signup, "form")
    assert (form["method"], form["action"]) == ("post", "/subscribe/")
    assert [(field["type"], field["name"]) for field in elements(signup, "input")] == [
        ("hidden", "source"),
        ("email", "email"),
        ("checkbox", "consent"),
        ("text", "website"),  # the honeypot
    ]
    assert elements(signup, "input")[0]["value"] == URL
    response = client.post(
        "/subscribe/", {"email": "reader@example.org", "consent": "on", "source": URL}
    )
    assert response.status_code == 302
    run_queued_tasks()  # the worker records the sign-up
    assert list(Subscriber.objects.values_list("email", "source")) == [("reader@example.org", URL)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/releases/2021/09/23/no-such-release/",
        "/releases/2021/09/24/cities-join-forces-on-heat/",
        "/releases/2020/09/23/cities-join-forces-on-heat/",
        "/releases/2021/02/30/cities-join-forces-on-heat/",
        "/releases/2021/13/01/cities-join-forces-on-heat/",
    ],
)
def test_an_unknown_slug_or_a_wrong_or_impossible_date_is_not_found(client, url):
    make_singapore_release()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_draft_is_not_found(client):
    make_draft("Cities join forces on heat", dateline_date=datetime.date(2021, 9, 23))
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_a_release_scheduled_for_the_future_is_not_found(client):
    make_release(
        "Cities join forces on heat",
        published_at=datetime.datetime(2099, 1, 1, 9, tzinfo=datetime.UTC),
    )
    assert client.get("/releases/2099/01/01/cities-join-forces-on-heat/").status_code == 404


def add_items(release, numbers):
    """For each number: a quote by a new speaker, a topic, a release related through it, a
    press contact and a correction."""
    editor = make_user(f"editor{numbers[0]}", "Editor")
    for n in numbers:
        release.correct(editor, f"Correction {n}.")
        person = make_person(f"Speaker {n}")
        make_role(person, release.byline, "Board member")
        make_quote(release, person, f"Quote {n}.")
        topic = make_topic(f"Topic {n}")
        release.topics.add(topic)
        make_release(f"Related {n}", published_at=on(n), topics=[topic])
        make_press_contact(f"Contact {n}", office=make_office(f"Office {n}", order=n))


@pytest.mark.django_db
def test_the_page_makes_the_same_number_of_queries_with_one_or_ten_of_everything(
    client, django_assert_num_queries
):
    release = make_singapore_release(media_contact=make_person("Sandra Mahmoud"))
    add_items(release, range(1, 2))
    with CaptureQueriesContext(connection) as cold:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    # What the page shows is kept until content changes: a second request only counts its
    # read, after the response (without Redis at once, with Redis it waits there instead):
    # the release's publication time, then its day (and, in its first 48 hours, its hour:
    # insights' reads per hour; this release is older).
    assert len(one) == 2
    # The first request after a content change works out what is then kept:
    # 1. the next scheduled change (until when anything may be kept)
    # 2. the release, with its byline and media contact
    # 3. its quotes, with their speakers and the roles chosen for them
    # 4. its topics
    # 5. its gallery images
    # 6. its public corrections (it has one; the release's row says so)
    # 7-8. Related Articles (pinned and scored), You may also be interested in
    # 9. the publisher of the JSON-LD (the newsroom's organization)
    # 10. Press Contacts, with their offices
    # 11-12. the read, as above
    # Not the live translations (it has none: the release's row says so), nor Popular Topics
    # (a statement over every topic's releases and reads): the sign-up form offers the
    # release's own.
    assert len(cold) == 12
    assert not [query for query in cold if "live_count" in query["sql"]]

    add_items(release, range(2, 11))
    with django_assert_num_queries(len(cold)):
        get_page(client, URL)
    with django_assert_num_queries(len(one)):
        page = get_page(client, URL)
    assert page.count('<figure class="quote pull-quote">') == 10
    assert page.count('<p class="correction">') == 10
    assert len(card_titles(section(page, "related-heading"))) == 3
    assert len(re.findall(r"<h3>Office \d+</h3>", page)) == 10


@pytest.mark.django_db
def test_corrections_and_translations_are_read_only_for_a_release_that_has_some(client):
    """Most releases have neither: their row says so, and a cold page makes two queries fewer."""
    release = make_singapore_release()
    with CaptureQueriesContext(connection) as neither:
        page = get_page(client, URL)
    assert '<p class="correction">' not in page
    assert 'hreflang="es"' not in page

    release.correct(make_user(), "The number of cities was wrong.")
    make_singapore_release(
        "Las ciudades unen fuerzas", slug="las-ciudades-unen-fuerzas", language="es",
        translation_key=release.translation_key,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as both:
        page = get_page(client, URL)
    assert len(both) == len(neither) + 2
    assert "The number of cities was wrong." in text(section_of_corrections(page))
    assert (
        '<link rel="alternate" hreflang="es" '
        'href="http://testserver/es/releases/2021/09/23/las-ciudades-unen-fuerzas/">'
    ) in page


def section_of_corrections(page):
    return "".join(re.findall(r'<p class="correction">.*?</p>', page, re.S))


@pytest.mark.django_db
def test_a_page_rendered_again_shows_the_release_from_its_kept_part_until_content_changes(client):
    """The page cache is off in tests: each request renders the page, the release's part
    ({% kept %}) once, then only what is around it."""
    release = make_singapore_release()
    make_quote(release, make_person("Lauren Sorkin"), "Heat is a quiet killer.")
    with renders_of("press/includes/quote.html") as quotes:
        first = get_page(client, URL)
    assert quotes
    with (
        renders_of("base.html") as pages,
        renders_of("press/includes/quote.html") as quotes,
        renders_of("press/includes/release_aside.html") as asides,
    ):
        again = get_page(client, URL)
    assert (len(pages), quotes, asides) == (1, [], [])
    assert again == first
    assert "Heat is a quiet killer." in again

    release.quotes.update(text="Heat kills quietly.")
    release.save()  # any change to content: the kept part is not used again
    with renders_of("press/includes/quote.html") as quotes:
        changed = get_page(client, URL)
    assert quotes
    assert "Heat kills quietly." in changed


@pytest.mark.django_db
def test_a_draft_previewed_is_rendered_afresh_every_time(client):
    draft = make_draft("Cities join forces on heat")
    make_quote(draft, make_person("Lauren Sorkin"), "Heat is a quiet killer.")
    link = PreviewLink.objects.create(release=draft)
    get_page(client, link.get_absolute_url())
    with renders_of("press/includes/quote.html") as quotes:
        page = get_page(client, link.get_absolute_url())
    assert quotes
    assert "Heat is a quiet killer." in page


@pytest.mark.django_db
def test_related_and_interesting_cards_sit_in_one_grid_each(client):
    """A grid inside a grid put the three cards in one narrow column at desktop width."""
    heat = make_topic("Extreme Heat")
    make_singapore_release(topics=[heat])
    for day in range(1, 8):
        make_release(f"Heat {day}", published_at=on(day), topics=[heat])
    page = get_page(client, URL)
    for heading in ("related-heading", "interesting-heading"):
        assert section(page, heading).count('class="card-grid"') == 1


def descriptions(page):
    """The page's description and its Open Graph description."""
    metas = {
        meta.get("name") or meta.get("property"): meta.get("content")
        for meta in elements(page, "meta")
    }
    return metas["description"], metas["og:description"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["release", "topic", "person", "organization"])
def test_a_page_describes_itself_with_its_text_cut_to_the_length_search_engines_show(client, kind):
    long_text = "Cities build cooling centres & parks. " * 8
    release = make_release("Cooling plan", summary=long_text)
    topic = make_topic("Heat", description=long_text)
    release.topics.add(topic)
    shown = {
        "release": release,
        "topic": topic,
        "person": make_person("Ana Reyes", bio=long_text),
        "organization": make_organization("Coastal Alliance", boilerplate=long_text),
    }[kind]
    described = descriptions(get_page(client, shown.get_absolute_url()))
    for description, length in zip(described, (160, 200), strict=True):
        assert len(description) == length
        assert description.endswith("…")
        assert long_text.startswith(description[:-1])
    # A short text is shown whole, and what it holds is escaped as any text is.
    release.summary = "Parks & shade."
    release.save()
    page = get_page(client, release.get_absolute_url())
    assert 'content="Parks &amp; shade."' in page
    assert descriptions(page) == ("Parks & shade.", "Parks & shade.")
