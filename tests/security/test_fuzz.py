"""Every public form and query parameter, fuzzed with Hypothesis through the test client: odd
unicode, huge and malformed numbers, anything but NUL (which PostgreSQL refuses in text; it has a
test of its own below). Whatever comes in, the answer is a page or a clean refusal, never a 500.

The test client re-raises a view's exception, so a crash fails with its traceback and the input
that caused it. FUZZ_EXAMPLES=200 for a longer run, FUZZ_SHRINK=1 to have Hypothesis shrink a
failing input to the smallest that breaks. The admin, every ModelAdmin of it, has its own file:
test_fuzz_admin.py.
"""

import datetime
import os
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from contacts.subscriptions.tokens import subscriber_token
from press.models import PreviewLink
from tests.factories import (
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_subscriber,
    make_topic,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 30))
# Shrinking a failure to its smallest input can take hundreds of requests: on with FUZZ_SHRINK=1.
# The inputs found so far are kept small by hand in test_inputs_found_by_fuzzing_... below.
PHASES = [phase for phase in Phase if phase != Phase.shrink or os.environ.get("FUZZ_SHRINK")]
fuzz = settings(
    max_examples=EXAMPLES,
    phases=PHASES,
    deadline=None,
    database=None,  # nothing written to the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ALLOWED = {200, 301, 302, 400, 404, 405, 429}

TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
    max_size=300,
)
ODD = st.lists(
    st.sampled_from(
        [
            "\u202e", "\u200b", "\u200d", "\ufeff", "\u0301", "\u2028", "\u2029", "\u00a0",
            "\uffff", "\ufffe", "\U0010ffff", "\U0001f4a9", "\uff1c", "\u0130", "\u017f", "ß",
            "\ufb01", "\x01", "\x1b", "\x7f", "\x85", "\r\n", "%00", "%", "&", "=", "+", "#",
            "../", "\\", "'", '"', "<", ">", "٣", "²", "Ⅻ", "𝟗", "-", "*", ":", "..",
        ]
    ),
    max_size=12,
).map("".join)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        ["0", "-1", "1e309", "NaN", "inf", "-0", "0x1f", "1_000", "+1", " 7 ", "1.5", "٣", "²",
         "9" * 400, "2147483648", "9223372036854775808", "-9223372036854775809", "１２"]
    ),
)  # fmt: skip
VALUES = st.one_of(TEXT, NUMBERS, ODD)
SLUGS = st.one_of(st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True), TEXT.filter(bool))


def check(response):
    assert response.status_code in ALLOWED, (response.status_code, response.request)
    return response


def segment(text):
    """`text` as one path segment: percent-encoded, never empty (that is another URL)."""
    return quote(text, safe="") or "-"


@pytest.fixture
def content():
    """A little of everything, so filters and lookups have rows to match."""
    organization = make_organization("City of Houston")
    topic = make_topic("Heat")
    release = make_release("Houston heat plan", byline=organization, topics=[topic])
    release.people.add(make_person("Ana Lopez"))
    make_quote(release, release.people.get(), text="Cooler streets save lives.")
    draft = make_release("Draft plan", status="draft", published_at=None)
    link = PreviewLink.objects.create(
        release=draft, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    subscriber = make_subscriber(status="confirmed")
    return {
        "preview": link.token,
        "manage": subscriber_token(subscriber, "manage"),
        "person": release.people.get(),
    }


@fuzz
@given(q=VALUES, page=VALUES)
def test_search_never_fails(client, content, q, page):
    check(client.get("/search/", {"q": q, "page": page}))


@fuzz
@given(params=st.fixed_dictionaries({}, optional=dict.fromkeys(
    ["topic", "organization", "person", "year", "page", "utm_source"], VALUES)))  # fmt: skip
def test_the_release_list_filters_never_fail(client, content, params):
    check(client.get("/releases/", params))
    check(client.get("/topics/heat/", params))


@fuzz
@given(
    year=st.one_of(st.sampled_from([0, 1, 1899, 1900, 2999, 9999]), st.integers(0, 9999)),
    month=st.one_of(st.sampled_from([0, 1, 2, 12, 13, 99]), st.integers(0, 99)),
    day=st.one_of(st.sampled_from([0, 1, 29, 30, 31, 32, 99]), st.integers(0, 99)),
    slug=SLUGS,
    page=VALUES,
    free=TEXT.filter(bool),
)
def test_archive_and_release_addresses_never_fail(
    client, content, year, month, day, slug, page, free
):
    check(client.get(f"/releases/{year:04d}/", {"page": page}))
    check(client.get(f"/releases/{year:04d}/{month:02d}/", {"page": page}))
    check(client.get(f"/releases/{year:04d}/{month:02d}/{day:02d}/{segment(slug)}/"))
    check(client.get(f"/releases/{segment(free)}/"))


@fuzz
@given(
    kind=st.sampled_from(["topics", "people", "organizations"]),
    slug=SLUGS,
    page=VALUES,
    feed=st.sampled_from(["", "feed/rss/", "feed/atom/"]),
)
def test_topic_person_and_organization_addresses_never_fail(
    client, content, kind, slug, page, feed
):
    check(client.get(f"/{kind}/{segment(slug)}/{feed}", {"page": page}))


@fuzz
@given(
    prefix=st.sampled_from(
        ["/preview/", "/embargo/", "/subscribe/confirm/", "/subscribe/preferences/",
         "/subscribe/unsubscribe/"]
    ),
    token=st.one_of(TEXT.filter(bool), st.from_regex(r"[-\w.:]{1,80}", fullmatch=True)),
    data=st.dictionaries(st.sampled_from(["action", "topics", "name", "comment", "decision"]),
                         VALUES, max_size=5),
)  # fmt: skip
def test_forged_link_tokens_never_fail(client, content, prefix, token, data):
    check(client.get(f"{prefix}{segment(token)}/"))
    check(client.post(f"{prefix}{segment(token)}/", data))


@fuzz
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "action": st.one_of(st.sampled_from(["topics", "pause", "resume"]), VALUES),
            "topics": st.lists(VALUES, max_size=4),
            "name": VALUES,
            "comment": VALUES,
            "decision": st.one_of(st.sampled_from(["approve", "request_changes"]), VALUES),
            "revision": VALUES,
        },
    )
)
def test_the_forms_behind_real_links_never_fail(client, content, data):
    """The subscriber's preferences form and the approver's answer on a preview link."""
    check(client.post(f"/subscribe/preferences/{content['manage']}/", data))
    check(client.post(f"/preview/{content['preview']}/", data))


@fuzz
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "email": st.one_of(VALUES, st.emails().map(str)),
            "topics": st.lists(VALUES, max_size=4),
            "consent": VALUES,
            "source": VALUES,
            "website": VALUES,
        },
    )
)
def test_the_subscribe_form_never_fails(client, content, data):
    check(client.post("/subscribe/", data))


@fuzz
@given(
    path=st.sampled_from(
        ["/", "/topics/", "/leadership/", "/press-contacts/", "/robots.txt", "/sitemap.xml",
         "/sitemap-releases.xml", "/news-sitemap.xml", "/feeds/releases/rss/",
         "/feeds/releases/atom/", "/subscribe/"]
    ),
    params=st.dictionaries(st.one_of(st.sampled_from(["p", "page", "q"]), TEXT), VALUES,
                           max_size=4),
    section=TEXT.filter(bool),
)  # fmt: skip
def test_every_other_public_page_ignores_odd_parameters(client, content, path, params, section):
    check(client.get(path, params))
    check(client.get(f"/sitemap-{segment(section)}.xml", params))


# Inputs Hypothesis found once, kept as plain regression cases.
HUGE = "9" * 30  # beyond any integer column


@pytest.mark.parametrize(
    ("who", "method", "path", "data"),
    [
        ("anyone", "get", "/releases/0000/01/", {}),  # the month page of the year 0
        ("anyone", "post", "/subscribe/", {"email": "a@example.org", "consent": "on",
                                           "topics": [HUGE]}),
        ("subscriber", "post", "/subscribe/preferences/{manage}/", {"action": "topics",
                                                                    "topics": [HUGE]}),
        ("approver", "post", "/preview/{preview}/", {"name": "Ana", "decision": "approve",
                                                     "revision": HUGE}),
        ("staff", "get", "/admin/press/person/{person}/attribution/", {"date": "2024-02-30"}),
        ("staff", "get", "/admin/press/person/{person}/attribution/", {"date": "2024-13-01"}),
        ("staff", "get", "/admin/contacts/mediacontact/", {"list": "²", "beat": "²"}),
        ("staff", "get", "/admin/contacts/mediacontact/", {"list": HUGE}),
        ("staff", "get", "/admin/contacts/mediacontact/", {"beat": HUGE}),
        ("staff", "get", "/admin/press/release/", {"published_at__year": HUGE}),
        ("staff", "get", "/admin/press/release/", {"published_at__year": "9999"}),
        ("staff", "get", "/admin/press/role/", {"start_date__year": "9999",
                                              "start_date__month": "12", "start_date__day": "31"}),
        ("staff", "get", "/admin/contacts/subscriber/", {"created_at__year": "0"}),
    ],
)  # fmt: skip
def test_inputs_found_by_fuzzing_get_a_clean_answer(request, content, who, method, path, data):
    browser = request.getfixturevalue("superuser_client") if who == "staff" else Client()
    url = path.format(**{**content, "person": content["person"].pk})
    check(getattr(browser, method)(url, data))


NUL_TEXT = "abc\x00def"


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/search/", {"q": NUL_TEXT, "page": "1\x00"}),
        ("get", "/releases/", {"topic": NUL_TEXT, "organization": NUL_TEXT, "year": "20\x0024"}),
        ("get", "/releases/", {"person": NUL_TEXT, "page": NUL_TEXT}),
        ("get", "/topics/heat/", {"page": NUL_TEXT}),
        ("get", "/sitemap-releases.xml", {"p": NUL_TEXT}),
        ("get", "/topics/he%00at/", {}),
        ("get", "/preview/abc%00def/", {}),
        ("get", "/subscribe/preferences/abc%00def/", {}),
        ("post", "/subscribe/", {"email": "a\x00@example.org", "consent": "on"}),
        ("post", "/subscribe/", {"email": "a@example.org", "consent": "on", "source": "/\x00"}),
        ("post", "/subscribe/", {"email": "a@example.org", "consent": "on", "website": "\x00"}),
        ("post", "/subscribe/", {"email": "a@example.org", "consent": "on", "topics": ["1\x00"]}),
        ("post", "/subscribe/", {"email": "a@example.org", "consent": "\x00"}),
    ],
)
def test_nul_characters_get_a_clean_answer(client, content, method, path, data):
    """PostgreSQL refuses NUL in text ("A string literal cannot contain NUL"): every field
    must strip or refuse it before it reaches a query."""
    check(getattr(client, method)(path, data))


@pytest.mark.parametrize(
    "data",
    [
        {"action": "topics", "topics": ["1\x00"]},
        {"action": "pa\x00use"},
        {"name": NUL_TEXT, "comment": NUL_TEXT, "decision": "request_changes"},
        {"name": "Ana", "comment": "", "decision": "approve", "revision": "1\x00"},
    ],
)
def test_nul_characters_in_the_forms_behind_real_links_get_a_clean_answer(client, content, data):
    check(client.post(f"/subscribe/preferences/{content['manage']}/", data))
    check(client.post(f"/preview/{content['preview']}/", data))
