"""Quotes on the release page: placed in the story by the editor (a "[quote N]" paragraph in the
body), printed from the Quote record, and the rest as pull quotes. Also in feeds."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from press.sanitize import clean_html
from tests.factories import make_organization, make_person, make_quote, make_release, make_role
from tests.markup import elements, links, text
from tests.pages import get_page

URL = "/releases/2021/09/23/cities-join-forces-on-heat/"


def make_heat_release(body="", **fields):
    return make_release(
        "Cities join forces on heat",
        dateline_date=datetime.date(2021, 9, 23),
        published_at=datetime.datetime(2021, 9, 23, 9, tzinfo=datetime.UTC),
        body=body,
        **fields,
    )


def speakers():
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person("Lauren Sorkin")
    make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    return sorkin, make_person("Sylvester Turner")


def figures(page, kind):
    return re.findall(rf'<figure class="quote {kind}">(.*?)</figure>', page, re.S)


def body_of(page):
    return re.search(r'<div class="body">(.*?)</div>\s*(?:<section|{)', page, re.S).group(1)


@pytest.mark.django_db
def test_a_quote_placed_in_the_body_prints_there_from_its_record_and_not_again(client):
    sorkin, turner = speakers()
    release = make_heat_release()
    placed = make_quote(release, sorkin, "Cities lead the way.")
    make_quote(release, turner, "Houston is ready.", attribution="Mayor of Houston")
    release.body = f"<p>Before.</p><p>[quote {placed.pk}]</p><p>After.</p>"
    release.save()

    page = get_page(client, URL)
    body = body_of(page)
    assert text(body) == (
        "Before. “Cities lead the way.” Lauren Sorkin, Executive Director, "
        "Resilient Cities Network After."
    )
    [block] = figures(body, "quote-block")
    assert links(block) == [("Lauren Sorkin", "/people/lauren-sorkin/")]
    assert f"[quote {placed.pk}]" not in page
    pulled = figures(page, "pull-quote")
    assert [text(quote) for quote in pulled] == [
        "“Houston is ready.” Sylvester Turner, Mayor of Houston"
    ]


@pytest.mark.django_db
def test_the_placed_quote_prints_the_attribution_frozen_at_publication(client):
    sorkin, _ = speakers()
    release = make_heat_release()
    quote = make_quote(release, sorkin, "Cities lead the way.", attribution="Director then")
    release.body = f"<p>[quote {quote.pk}]</p>"
    release.save()
    [block] = figures(get_page(client, URL), "quote-block")
    assert text(block) == "“Cities lead the way.” Lauren Sorkin, Director then"


@pytest.mark.django_db
def test_a_code_naming_another_releases_quote_prints_nothing(client):
    sorkin, _ = speakers()
    other = make_release("Another release")
    secret = make_quote(other, sorkin, "Not for this release.")
    make_heat_release(body=f"<p>Text.</p><p>[quote {secret.pk}]</p>")
    page = get_page(client, URL)
    assert "Not for this release." not in page
    assert f"[quote {secret.pk}]" not in page
    assert text(body_of(page)) == "Text."


@pytest.mark.django_db
def test_a_code_inside_a_list_or_blockquote_stays_text_and_the_markup_stays_whole(client):
    sorkin, _ = speakers()
    release = make_heat_release()
    quote = make_quote(release, sorkin, "Cities lead the way.")
    release.body = f"<blockquote><p>[quote {quote.pk}]</p></blockquote><ul><li>One</li></ul>"
    release.save()
    page = get_page(client, URL)
    assert f"<blockquote><p>[quote {quote.pk}]</p></blockquote>" in body_of(page)
    assert figures(page, "quote-block") == []
    assert len(figures(page, "pull-quote")) == 1


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        # The short code is a paragraph of text: kept exactly.
        ("<p>[quote 12]</p>", "<p>[quote 12]</p>"),
        # No element placeholder is allowed: a figure and its attributes are dropped.
        ('<figure data-quote="12" onerror="alert(1)"></figure>', ""),
        ('<figure data-quote="12"><img src="x" onerror="alert(1)"></figure>', ""),
        # Markup typed into the code's paragraph is removed, the code kept.
        ('<p>[quote 12]<img src=x onerror="alert(1)"></p>', "<p>[quote 12]</p>"),
        ('<p onclick="alert(1)">[quote 12]</p>', "<p>[quote 12]</p>"),
    ],
)
def test_the_sanitizer_keeps_the_short_code_and_drops_any_placeholder_markup(typed, saved):
    assert clean_html(typed) == saved


@pytest.mark.django_db
def test_an_injection_through_the_quote_code_prints_as_text_only(client):
    sorkin, _ = speakers()
    release = make_heat_release()
    quote = make_quote(release, sorkin, "Cities lead the way.")
    release.body = (
        f'<p>[quote {quote.pk}" onerror="alert(1)]</p>'
        f'<figure data-quote="{quote.pk}"><img src=x onerror=alert(1)></figure>'
    )
    release.save()
    page = get_page(client, URL)
    assert "<img src=" not in page and "<figure data-quote" not in page
    assert elements(body_of(page), "img") == []
    # Not a code: printed as the text typed, escaped; the quote is a pull quote.
    assert "[quote" in text(body_of(page))
    assert figures(page, "quote-block") == []
    assert len(figures(page, "pull-quote")) == 1


@pytest.mark.django_db
def test_placed_quotes_keep_the_query_count_the_same_with_one_or_ten(client):
    sorkin, _ = speakers()
    release = make_heat_release()

    def place(count):
        quotes = [make_quote(release, sorkin, f"Quote {n}.") for n in range(count)]
        release.body = "".join(f"<p>Text.</p><p>[quote {q.pk}]</p>" for q in quotes)
        release.save()

    # A query parameter the page does not read: rendered each time, never served from the page
    # cache. Each save makes what was kept stale: the first request after it fetches the
    # release, its quotes with their speakers (one query however many), topics, images,
    # corrections, suggestions and the rest again; the next reads them from the cache.
    fresh = URL + "?uncached=1"
    place(1)
    with CaptureQueriesContext(connection) as one:
        get_page(client, fresh)
    release.quotes.all().delete()
    place(10)
    with CaptureQueriesContext(connection) as ten:
        page = get_page(client, fresh)
    assert len(one) == len(ten)
    with CaptureQueriesContext(connection) as kept:
        get_page(client, fresh)
    # Only the read counted (its publication time, then its day: tests count reads at once,
    # production waits in Redis).
    assert len(kept) == 2
    assert len(figures(page, "quote-block")) == 10
    assert figures(page, "pull-quote") == []


@pytest.mark.django_db
def test_the_feed_prints_a_placed_quote_in_the_body(client):
    sorkin, _ = speakers()
    release = make_heat_release()
    quote = make_quote(release, sorkin, "Cities lead the way.")
    release.body = f"<p>Before.</p><p>[quote {quote.pk}]</p>"
    release.save()
    feed = client.get("/feeds/releases/rss/").content.decode()
    assert "[quote" not in feed
    assert "Cities lead the way." in feed


@pytest.mark.django_db
def test_search_snippets_leave_out_the_quote_codes(client):
    sorkin, _ = speakers()
    # No summary: the snippet comes from the body, on SQLite too.
    release = make_heat_release(summary="")
    quote = make_quote(release, sorkin, "Cities lead the way.")
    release.body = f"<p>Cooling centres open.</p><p>[quote {quote.pk}]</p><p>More shade.</p>"
    release.save()
    page = get_page(client, "/search/?q=cooling")
    assert "[quote" not in page
    assert "Cooling</mark> centres open. More shade." in page
