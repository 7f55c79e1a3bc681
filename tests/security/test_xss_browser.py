"""Stored and reflected XSS, judged by a real browser.

Every payload of tests/security/xss.py (69 of them) goes into every field an editor fills, saved
through the models and a sample through the admin forms, and into every public form and query
parameter. A payload
"runs" if the page opens a dialog (each one calls alert(n) with its own number), makes any request
to the planted host 127.0.0.1:9, or leaves in the DOM an event-handler attribute, a javascript: or
data:text/html URL, an <iframe>/<object>/<embed>/<base>, a script the site did not write, or
JSON-LD it can no longer parse.

The browser context bypasses the Content-Security-Policy on purpose: the policy is a second line
of defence (tests/newsroom/test_security.py); here escaping and sanitizing must hold on their own.
"""

import datetime
import math
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone

from press.models import Correction, Organization, Person, Quote, Release, ReleaseImage, Role, Topic
from tests.factories import form_data, make_image_file
from tests.security.xss import PAYLOADS, Browser, assert_sanitized

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def tab(context, live_server):
    return Browser(context, live_server.url)


def test_the_watch_sees_payloads_that_run_when_nothing_escapes_them(tab):
    """The control: the same corpus written raw into a page does run, and is seen to."""
    tab.visit("/robots.txt")
    raw = "".join(f"<div>{payload}</div><a href='{payload}'>link</a>" for payload in PAYLOADS)
    tab.page.set_content(f"<!DOCTYPE html><html><body>{raw}</body></html>")
    tab.page.wait_for_timeout(300)
    tab.audit("raw")
    assert len(tab.dialogs) >= 15 and len(tab.planted) >= 5 and len(tab.findings) >= 40


def packed(values, limit, most=None):
    """`values` joined by spaces into strings of at most `limit` characters (one string for a
    text field); a value longer than `limit` could never be saved there. With `most`, at most
    that many strings, taken evenly from the whole list rather than from its start."""
    if limit is None:
        return [" ".join(values)]
    chunks, current = [], ""
    for value in (value for value in values if len(value) <= limit):
        if current and len(current) + 1 + len(value) > limit:
            chunks.append(current)
            current = ""
        current = f"{current} {value}" if current else value
    chunks += [current] if current else []
    return chunks[:: math.ceil(len(chunks) / most)] if most and len(chunks) > most else chunks


def spread(model, names, most):
    return {name: packed(PAYLOADS, model._meta.get_field(name).max_length, most) for name in names}


def pick(chunks, index):
    return chunks[index % len(chunks)] if chunks else ""


def create(model, count, chunks):
    return [
        model.objects.create(
            slug=f"{model._meta.model_name}-{i}", **{k: pick(v, i) for k, v in chunks.items()}
        )
        for i in range(count)
    ]


# Objects of each kind, each with a page to load: every field of 200 characters or more holds
# every payload across them; a shorter one (a city, a topic name) holds those that fit, taken
# from the whole corpus. Thirty releases: a dateline place shows only without an override.
INSTANCES = 20
NEWSROOM_ORGANIZATION = django_settings.NEWSROOM_ORGANIZATION
RELEASE_FIELDS = [
    "title", "subtitle", "summary", "featured_image_alt",
    "featured_image_caption", "featured_image_credit", "featured_image_licence", "boilerplate",
]  # fmt: skip
IMAGE_FIELDS = ["alt_text", "caption", "credit", "licence"]


@pytest.fixture
def world(settings, tmp_path):
    """Releases, people, organizations and topics with the payloads in every field an editor
    fills, saved through the models. Returns the public paths to visit, by kind."""
    settings.MEDIA_ROOT = tmp_path
    place = spread(Release, ["dateline_place"], 13)["dateline_place"]
    override = spread(Release, ["dateline_override"], 17)["dateline_override"]
    release_chunks = spread(Release, RELEASE_FIELDS, INSTANCES)
    correction_notes = spread(Correction, ["note"], INSTANCES)["note"]
    image_chunks = spread(ReleaseImage, IMAGE_FIELDS, INSTANCES)
    person_chunks = spread(Person, ["name", "honorific", "bio"], INSTANCES)
    attribution = packed(PAYLOADS, Quote._meta.get_field("attribution").max_length)
    people = create(Person, max(map(len, person_chunks.values())), person_chunks)
    org_fields = ["name", "short_name", "city", "country", "boilerplate"]
    organizations = create(Organization, INSTANCES, spread(Organization, org_fields, INSTANCES))
    topics = create(Topic, INSTANCES, spread(Topic, ["name", "description"], INSTANCES))
    # The newsroom's own organization: its board and executives make the leadership page.
    Organization.objects.filter(pk=organizations[0].pk).update(slug=NEWSROOM_ORGANIZATION)
    organizations[0].slug = NEWSROOM_ORGANIZATION
    for i, title in enumerate(packed(PAYLOADS, Role._meta.get_field("title").max_length)):
        kind = [Role.Kind.BOARD, Role.Kind.EXECUTIVE, Role.Kind.OTHER][i % 3]
        organization = organizations[0] if i % 2 else organizations[i % len(organizations)]
        Role.objects.create(
            person=people[i % len(people)], organization=organization, title=title, kind=kind
        )
    # One small image for all: its renditions are made once.
    image = default_storage.save("releases/xss.jpg", make_image_file(size=(64, 48)))
    count, now, releases = len(place) + len(override), timezone.now(), []
    for i in range(count):
        dateline = {"dateline_place": place[i]} if i < len(place) else {}
        if i >= len(place):
            dateline = {"dateline_override": override[i - len(place)]}
        release = Release.objects.create(
            slug=f"release-{i}",
            status=Release.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=i + 1),
            byline=organizations[i % len(organizations)],
            body="\n".join(f"<p>{payload}</p>" for payload in PAYLOADS),
            featured_image=image,
            media_contact=people[i % len(people)],
            **dateline,
            **{name: pick(chunks, i) for name, chunks in release_chunks.items()},
        )
        release.topics.set([topics[i % len(topics)]])
        release.correct(None, pick(correction_notes, i))
        release.people.set([people[i % len(people)]])
        release.organizations.set([organizations[(i + 1) % len(organizations)]])
        ReleaseImage.objects.create(
            release=release, image=image, **{k: pick(v, i) for k, v in image_chunks.items()}
        )
        Quote.objects.bulk_create(
            Quote(
                release=release,
                person=people[(i + order) % len(people)],
                text=payload,
                attribution=pick(attribution, i + order * count),
                order=order,
            )
            for order, payload in enumerate(PAYLOADS[i::count])
        )
        release.update_search_vector()
        releases.append(release)
    return {
        "releases": [release.get_absolute_url() for release in releases],
        "people": [person.get_absolute_url() for person in people],
        "organizations": [org.get_absolute_url() for org in organizations],
        "topics": [topic.get_absolute_url() for topic in topics],
        "lists": ["/", "/releases/", "/releases/?page=2", "/topics/", "/leadership/"],
    }


def test_no_payload_saved_in_any_field_runs_on_the_public_pages(tab, world):
    for body in Release.objects.values_list("body", flat=True):
        assert_sanitized(body)
    for kind in ("lists", "releases", "people", "organizations", "topics"):
        for path in world[kind]:
            tab.visit(path)
    tab.assert_nothing_ran()


def test_no_payload_runs_from_search_or_query_parameters(tab, world):
    """Payloads go several to a request (as one value of up to 300 characters): a page that
    escapes one escapes them all alike, and the whole corpus passes in a few dozen visits."""
    filters = ["topic", "organization", "person", "year"]
    for n, payload in enumerate(packed(PAYLOADS, 300)):
        tab.visit("/search/?" + urlencode({"q": payload, "page": payload}))
        # Bad filters show nothing; with good ones the pagination links repeat the query string,
        # unknown parameters included.
        query = dict.fromkeys(filters if n % 2 else ["page", "utm_source"], payload)
        tab.visit("/releases/?" + urlencode(query))
        if n % 4 == 0:  # the other pages read their parameters the same way: a sample
            tab.visit(world["topics"][0] + "?" + urlencode({"page": payload, "utm": payload}))
            tab.visit("/releases/2026/?" + urlencode({"page": payload, "topic": payload}))
            tab.visit(f"/no-such-page/{quote(payload, safe='')}/", statuses=(404,))
    tab.assert_nothing_ran()


@pytest.fixture
def release_with_topic():
    release = Release.objects.create(
        title="Heat plan",
        slug="heat-plan",
        status=Release.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=1),
        byline=Organization.objects.create(name="City", slug="city"),
    )
    release.topics.set([Topic.objects.create(name="Heat", slug="heat")])
    return release.get_absolute_url()


def test_no_payload_runs_from_the_subscribe_form(tab, release_with_topic):
    """Every payload in every field of the form (email, honeypot, hidden source, topics,
    consent), several to a submission, sent as a browser sends it; one in three with a valid
    address, so that the page after a sign-up (or after the rate limit) is read as well."""
    tab.visit("/subscribe/")
    for n, payload in enumerate(packed(PAYLOADS, 250)):
        email = f"reader{n}@example.org" if n % 3 == 0 else payload
        with tab.page.expect_navigation():
            tab.page.evaluate(FILL_AND_SUBMIT, {"payload": payload, "email": email})
        tab.audit(f"subscribe with payload {n + 1}")
    tab.visit(release_with_topic)  # the release page carries the same form
    tab.assert_nothing_ran()


FILL_AND_SUBMIT = """({payload, email}) => {
  const form = document.querySelector('form[method="post"][action$="/subscribe/"]');
  for (const field of form.elements) {
    if (!field.name || field.name === "csrfmiddlewaretoken") continue;
    if (field.type === "checkbox" || field.type === "radio") field.checked = true;
    field.value = field.type === "email" || field.name === "email" ? email
      : field.type === "hidden" ? "/" + payload : payload;
  }
  form.noValidate = true;
  form.submit();
}"""


def test_payloads_posted_through_the_admin_forms_do_not_run(
    tab, superuser_client, settings, tmp_path
):
    """The editor's path: release, quote, topics, person, organization through the admin
    forms; then the public pages and the admin's own pages, as the superuser sees them."""
    settings.MEDIA_ROOT = tmp_path
    client = superuser_client
    organization = post_admin(client, "press/organization", name=PAYLOADS[10][:200], slug="o",
                              boilerplate="\n".join(PAYLOADS), website="")  # fmt: skip
    person = post_admin(client, "press/person", name=PAYLOADS[11], slug="p", honorific="",
                        bio="\n".join(PAYLOADS))  # fmt: skip
    add_organization = client.get("/admin/press/organization/add/").content.decode()
    evil = {"name": "Evil", "slug": "evil", "website": "javascript:alert(1)"}
    refused = client.post(
        "/admin/press/organization/add/", form_data(add_organization, "organization_form", **evil)
    )
    assert refused.status_code == 200 and not Organization.objects.filter(slug="evil").exists()
    # Topics are made on their own form, then picked on the release.
    topics = [
        post_admin(client, "press/topic", name=payload[:100], slug=f"t{i}").pk
        for i, payload in enumerate(PAYLOADS[:12])
    ]
    release = post_admin(
        client, "press/release", title=PAYLOADS[0], slug="admin-release", subtitle=PAYLOADS[3],
        summary=PAYLOADS[10], body="".join(f"<p>{p}</p>" for p in PAYLOADS), byline=organization.pk,
        dateline_place=PAYLOADS[11][:100], topics=topics, people=[person.pk],
        organizations=[organization.pk], media_contact=person.pk, boilerplate="\n".join(PAYLOADS),
        **{"quotes-TOTAL_FORMS": "1", "quotes-0-person": person.pk, "quotes-0-text": PAYLOADS[34],
           "quotes-0-attribution": PAYLOADS[18], "quotes-0-order": "0"},
    )  # fmt: skip
    assert client.post(f"/admin/press/release/{release.pk}/move/publish/").status_code == 302
    change = f"/admin/press/release/{release.pk}/change/"
    correction = {"is_correction": "on", "correction_note": PAYLOADS[24], "title": PAYLOADS[35]}
    page = client.get(change).content.decode()
    assert client.post(change, form_data(page, **correction)).status_code == 302
    release.refresh_from_db()
    assert (release.title, release.corrections.get().note) == (PAYLOADS[35], PAYLOADS[24])
    assert release.quotes.get().text == PAYLOADS[34]
    assert_sanitized(release.body)

    tab.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": tab.base_url}]
    )
    topic = release.topics.first()
    for path in [
        release.get_absolute_url(), person.get_absolute_url(), organization.get_absolute_url(),
        topic.get_absolute_url(), f"/admin/press/release/{release.pk}/preview/",
        "/admin/press/release/", change, f"/admin/press/release/{release.pk}/history/",
        "/admin/press/person/", f"/admin/press/person/{person.pk}/change/",
        "/admin/press/organization/", "/admin/press/topic/",
    ]:  # fmt: skip
        tab.visit(path)
    tab.assert_nothing_ran()


def post_admin(client, model, **changes):
    """Add one object through its admin add page, as a browser would post the form."""
    url = f"/admin/{model}/add/"
    form_id = model.split("/")[1] + "_form"
    response = client.post(url, form_data(client.get(url).content.decode(), form_id, **changes))
    assert response.status_code == 302, response.context and response.context.get("errors")
    model_class = {
        "press/organization": Organization,
        "press/person": Person,
        "press/topic": Topic,
    }.get(model, Release)
    return model_class.objects.latest("pk")


# Feeds are XML, read by feed readers rather than browsers. The HTML they carry (an item's RSS
# <description> and <content:encoded>, an Atom entry's type="html" summary and content) must be
# harmless once the XML is decoded; titles and categories are plain text.
RSS_HTML = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_html(root):
    for item in [*root.iter("item"), *root.iter(f"{ATOM}entry")]:
        for element in item:
            if element.tag in RSS_HTML or element.get("type") == "html":
                yield element


def test_feeds_carry_no_markup_that_runs(client, world):
    paths = ["/feeds/releases/rss/", "/feeds/releases/atom/"]
    for kind in ("topics", "people", "organizations"):
        paths += [world[kind][0] + "feed/rss/", world[kind][0] + "feed/atom/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"<script" not in response.content.lower(), path
        elements = list(feed_html(ET.fromstring(response.content)))
        assert elements, path
        for element in elements:
            assert_sanitized(element.text or "", where=f"{path} {element.tag}")
