"""Search at /search/?q=...: live releases ranked by relevance with marked snippets, then
people and organizations. Full-text on PostgreSQL, a plain fallback on SQLite."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.redis_cache import ReusedClientRedisCache
from press.search_config import search_config
from tests.factories import (
    days_ago,
    make_draft,
    make_expired,
    make_image_file,
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_role,
    make_scheduled,
)
from tests.markup import card_titles, elements, links, section, text
from tests.pages import redis_round_trips

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Full-text search needs PostgreSQL."
)
fallback_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL searches the full text instead."
)


def search(client, q, prefix="", **params):
    response = client.get(f"{prefix}/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def snippets(page):
    return re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)


def search_box(page):
    (box,) = (attrs for attrs in elements(page, "input") if attrs.get("id") == "search-q")
    return box


def search_box_value(page):
    return search_box(page)["value"]


# What every database does


@pytest.mark.django_db
def test_an_empty_query_shows_the_form_and_nothing_else_without_a_query(client):
    make_release("Heat plan")
    with CaptureQueriesContext(connection) as queries:
        page = search(client, "")
    assert len(queries) == 0
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Search"]
    form = {
        "class": "search-form",
        "role": "search",
        "aria-label": "Search results",
        "method": "get",
        "action": "/search/",
    }
    assert form in elements(page, "form")
    assert search_box(page) == {"type": "search", "id": "search-q", "name": "q", "value": ""}
    assert {"for": "search-q"} in elements(page, "label")
    assert card_titles(page) == []
    assert "result" not in text(page)


@pytest.mark.django_db
def test_drafts_scheduled_and_expired_releases_are_never_found(client):
    make_release("Mangrove nurseries open", published_at=days_ago(3))
    make_draft("Draft mangrove plan")
    make_scheduled("Scheduled mangrove plan")
    make_expired("Expired mangrove plan")
    page = search(client, "mangrove")
    assert card_titles(page) == ["Mangrove nurseries open"]
    assert "1 result for “mangrove”" in text(page)
    assert "plan" not in text(section(page, "releases-heading"))


@pytest.mark.django_db
def test_the_query_is_kept_in_the_search_box_and_the_count(client):
    make_release("Flood barrier finished")
    make_release("Flood maps published")
    page = search(client, "  flood  ")
    assert search_box_value(page) == "flood"
    assert "2 results for “flood”" in text(page)
    assert re.findall(r"<title>(.*?)</title>", page) == [
        "Search: flood | Resilient Cities Network Newsroom"
    ]


@pytest.mark.django_db
def test_people_found_show_their_photo_and_current_role(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rcn = make_organization("Resilient Cities Network")
    sorkin = make_person(
        "Lauren Sorkin", photo=make_image_file("sorkin.jpg", size=(600, 600)), bio="Leads."
    )
    make_role(sorkin, rcn, "Analyst", start_date=datetime.date(2010, 1, 1),
              end_date=datetime.date(2015, 1, 1))  # fmt: skip
    make_role(sorkin, rcn, "Executive Director", start_date=datetime.date(2020, 1, 1))
    people = section(search(client, "sorkin"), "people-heading")
    assert text(people) == "People Lauren Sorkin, Executive Director, Resilient Cities Network"
    (photo,) = elements(people, "img")
    assert (photo["alt"], photo["width"], photo["height"], photo["loading"]) == (
        "",
        "600",
        "600",
        "lazy",
    )


@pytest.mark.django_db
def test_people_and_organizations_are_found_by_name_bio_short_name_or_boilerplate(client):
    make_person("Lauren Sorkin", bio="Leads the network's work on coastal flooding.")
    make_person("Amy Chester", bio="Directs the heat programme.")
    make_organization("Resilient Cities Network", short_name="R-Cities")
    make_organization("Coastal Alliance", boilerplate="An alliance of coastal cities.")
    make_organization("City of Houston")

    page = search(client, "coastal")
    assert links(section(page, "people-heading")) == [("Lauren Sorkin", "/people/lauren-sorkin/")]
    assert links(section(page, "organizations-heading")) == [
        ("Coastal Alliance", "/organizations/coastal-alliance/")
    ]
    assert "2 results for “coastal”" in text(page)
    assert "No releases match “coastal”." in text(section(page, "releases-heading"))

    page = search(client, "r-cities")
    assert links(section(page, "organizations-heading")) == [
        ("Resilient Cities Network", "/organizations/resilient-cities-network/")
    ]
    assert "people-heading" not in page
    # Every word must appear, in any field and any order.
    page = search(client, "sorkin lauren")
    assert links(section(page, "people-heading")) == [("Lauren Sorkin", "/people/lauren-sorkin/")]


@pytest.mark.django_db
def test_nothing_found_says_so_and_suggests_what_to_do(client):
    make_release("Heat plan")
    page = search(client, "volcano")
    assert "0 results for “volcano”" in text(page)
    assert text(section(page, "releases-heading")) == (
        "Press releases No releases match “volcano”. "
        "Try fewer words or other spellings, or browse topics."
    )
    assert ("browse topics", "/topics/") in links(page)


@pytest.mark.django_db
def test_korean_words_are_found(client):
    make_release(
        "서울 회복력 계획 발표",
        slug="seoul-resilience-plan",
        summary="서울시가 회복력 계획을 발표했다.",
    )
    make_release("Heat plan")
    assert card_titles(search(client, "서울 회복력")) == ["서울 회복력 계획 발표"]


@pytest.mark.django_db
def test_nul_characters_are_dropped_from_the_query(client):
    make_release("Heat plan")
    page = search(client, "\x00heat")
    assert card_titles(page) == ["Heat plan"]
    assert search_box_value(page) == "heat"


@pytest.mark.django_db
def test_a_2_kb_query_is_cut_to_200_characters_not_refused(client):
    make_release("Heat plan")
    page = search(client, "heat " * 410)
    assert search_box_value(page) == ("heat " * 40).strip()
    assert card_titles(page) == ["Heat plan"]


HOSTILE_QUERIES = [
    "'; DROP TABLE press_release; --",
    "%_\\",
    "🌊🔥",
    '"city (',
    "-",
    "!!!",
    "the",
    "a)(b|c&!d<->e:*",
    "<script>alert(1)</script>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_odd_queries_return_a_page_with_the_query_escaped(client, query):
    make_release("City heat plan", summary="100% of 5_000 homes; C:\\ drive.")
    page = search(client, query)
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Search"]
    assert search_box_value(page) == query
    assert "<script>alert" not in page


@pytest.mark.django_db
def test_like_wildcards_and_escapes_in_the_query_are_literal(client):
    make_release("Heat plan", summary="100% of 5_000 homes.")
    make_person("Amy Chester")
    page = search(client, "%_\\")
    assert card_titles(page) == []
    assert "people-heading" not in page


@pytest.mark.django_db
def test_a_bad_or_too_high_page_number_shows_a_page(client):
    make_release("Heat plan")
    for number in ["abc", "0", "-1", "99", "9" * 5000]:
        assert card_titles(search(client, "heat", page=number)) == ["Heat plan"]


@pytest.mark.django_db
def test_results_come_20_a_page_with_links_that_keep_the_query(client):
    for day in range(21):
        make_release(f"Heat plan {day}", slug=f"heat-plan-{day}", published_at=days_ago(day + 1))
    page = search(client, "heat")
    assert len(card_titles(page)) == 20
    assert "21 results for “heat”" in text(page)
    (pagination,) = re.findall(r'<nav class="pagination".*?</nav>', page, re.S)
    assert links(pagination) == [("More results", "?q=heat&page=2")]
    page = search(client, "heat", page=2)
    assert card_titles(page) == ["Heat plan 20"]
    assert "Page 2 of 2" in text(page)
    assert re.findall(r"<title>(.*?)</title>", page) == [
        "Search: heat, page 2 | Resilient Cities Network Newsroom"
    ]


@pytest.mark.django_db
def test_search_makes_the_same_queries_with_one_or_three_results(client):
    make_person("Heat Officer", slug="heat-officer")
    make_organization("Heat Alliance")
    make_release("Heat plan 1", published_at=days_ago(1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = search(client, "heat")
        return len(queries), len(card_titles(page))

    one = count()
    make_release("Heat plan 2", published_at=days_ago(2))
    make_release("Heat plan 3", published_at=days_ago(3))
    three = count()
    assert (one[1], three[1]) == (1, 3)
    assert one[0] == three[0]
    # The next scheduled publication (how long the matches found stay right); the matches,
    # ranked; people; their current roles with organizations (added so that each person found
    # shows their role beside their name); the organizations whose former names hold the
    # words, then the organizations; the page of releases with bylines
    # and, on PostgreSQL, their snippets worked out in the same statement.
    # On PostgreSQL the matches are found in a transaction of their own, which sets their time
    # limit (press.search.within_time_limit): SET LOCAL, and inside the test's transaction a
    # savepoint and its release (in production BEGIN and COMMIT, which are not counted).
    assert one[0] == (10 if connection.vendor == "postgresql" else 7)


@pytest.mark.django_db
def test_a_search_made_again_is_answered_without_a_query_until_content_changes(client):
    make_release("Heat plan 1", published_at=days_ago(1))
    first = search(client, "heat")
    with CaptureQueriesContext(connection) as queries:
        again = search(client, "heat")
    assert len(queries) == 0
    assert card_titles(again) == card_titles(first) == ["Heat plan 1"]
    make_release("Heat plan 2", published_at=days_ago(2))
    assert card_titles(search(client, "heat")) == ["Heat plan 1", "Heat plan 2"]


@pytest.mark.django_db
def test_results_kept_for_one_address_show_no_other_addresses_query_in_their_links(client):
    for day in range(21):
        make_release(f"Heat plan {day}", slug=f"heat-plan-{day}", published_at=days_ago(day + 1))
    search(client, "heat", utm_source="mailing")
    page = search(client, "heat")
    (pagination,) = re.findall(r'<nav class="pagination".*?</nav>', page, re.S)
    assert links(pagination) == [("More results", "?q=heat&page=2")]
    assert "utm_source" not in page
    # Words with spaces and signs come back as they were typed.
    page = search(client, 'heat "plan"')
    (pagination,) = re.findall(r'<nav class="pagination".*?</nav>', page, re.S)
    assert links(pagination) == [("More results", "?q=heat%20%22plan%22&page=2")]


# PostgreSQL: full text, ranked, stemmed, with headlines


@postgresql_only
@pytest.mark.django_db
def test_a_title_match_ranks_above_a_body_only_match_even_if_older(client):
    make_release(
        "Cities publish budgets",
        summary="Annual figures.",
        body="<p>The budgets include money for mangroves.</p>",
        published_at=days_ago(1),
    )
    make_release("Mangroves protect the coast", published_at=days_ago(30))
    make_release("Coast guide", summary="A guide to mangroves.", published_at=days_ago(20))
    assert card_titles(search(client, "mangroves")) == [
        "Mangroves protect the coast",
        "Coast guide",
        "Cities publish budgets",
    ]


@postgresql_only
@pytest.mark.django_db
def test_equally_relevant_releases_come_newest_first(client):
    make_release("Heat plan for Athens", published_at=days_ago(5))
    make_release("Heat plan for Paris", published_at=days_ago(1))
    assert card_titles(search(client, "heat")) == ["Heat plan for Paris", "Heat plan for Athens"]


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "title"),
    [("cities", "One city, one plan"), ("running", "Volunteers run a shelter")],
)
def test_english_stemming_finds_other_forms_of_a_word(client, query, title):
    make_release("One city, one plan", summary="", body="")
    make_release("Volunteers run a shelter", summary="", body="")
    make_release("Unrelated", summary="", body="")
    assert card_titles(search(client, query)) == [title]


@postgresql_only
@pytest.mark.django_db
def test_the_search_configuration_set_for_the_language_decides_how_words_match(client, settings):
    """settings.SEARCH_CONFIGS is read for the stored vectors and the query alike: with
    PostgreSQL's "simple" configuration nothing is stemmed, so only the word as written
    matches."""
    settings.SEARCH_CONFIGS = {"en": "simple"}
    make_release("One city, one plan", summary="", body="")
    assert card_titles(search(client, "cities")) == []
    assert card_titles(search(client, "city")) == ["One city, one plan"]


def test_a_language_without_a_search_configuration_is_searched_word_for_word(settings):
    settings.SEARCH_CONFIGS = {"en": "english", "es": "spanish"}
    assert [search_config(), search_config("es"), search_config("sw")] == [
        "english",
        "spanish",
        "simple",
    ]


@postgresql_only
@pytest.mark.django_db
def test_quotes_are_searched_and_shown_in_the_snippet(client):
    release = make_release("Coast plan", summary="A plan.", body="<p>The plan.</p>")
    assert card_titles(search(client, "seagrass")) == []
    make_quote(release, make_person(), "We will replant seagrass meadows.")
    page = search(client, "seagrass")
    assert card_titles(page) == ["Coast plan"]
    # ts_headline starts and ends fragments on words, leaving out short ones and punctuation.
    assert snippets(page) == ["plan. The plan. We will replant <mark>seagrass</mark> meadows"]


@postgresql_only
@pytest.mark.django_db
def test_the_snippet_marks_hits_and_lets_no_markup_from_the_release_through(client):
    make_release(
        "Flood barrier",
        summary='Barrier <script>alert("s")</script> plan',
        body='<p>The <a href="/x">flooding</a> at AT&amp;T\ue000 HQ: '
        "&lt;script&gt;alert(1)&lt;/script&gt; is over.</p>",
    )
    (snippet,) = snippets(search(client, "flood"))
    # ts_headline drops what looks like a tag (the summary's <script>); the body's text that
    # looks like one is escaped, as are its entities and the marker character typed into it.
    assert snippet == (
        "Barrier alert(&quot;s&quot;) plan The <mark>flooding</mark> at AT&amp;T HQ: "
        "&lt;script&gt;alert(1)&lt;/script&gt; is over"
    )


@postgresql_only
@pytest.mark.django_db
def test_a_summary_holding_a_word_searched_for_is_the_snippet(client):
    """The summary, what a release card shows elsewhere, is the snippet when it holds any word
    searched for: ts_headline then reads a few hundred characters, not the whole release."""
    filler = " ".join(["words"] * 100)
    body = f"<p>{filler} The river delta floods each spring. {filler}</p>"
    make_release(
        "Delta plan",
        summary="A plan for the <b>delta</b> &amp; its <script>x</script>ports\ue001.",
        body=body,
        published_at=days_ago(2),
    )
    make_release("River plan", summary="A plan for the river.", body=body)
    page = search(client, "delta flood")
    assert dict(zip(card_titles(page), snippets(page), strict=True)) == {
        # Its summary holds one of the words: that one is marked.
        "Delta plan": "plan for the <mark>delta</mark> &amp; its x ports",
        # Its summary holds neither: the body's fragment holding both.
        "River plan": " ".join(
            ["words"] * 14
            + ["The river <mark>delta</mark> <mark>floods</mark> each spring."]
            + ["words"] * 15
        ),
    }


@postgresql_only
@pytest.mark.django_db
def test_a_release_found_by_its_title_alone_shows_its_summary(client):
    """Neither its summary nor its body holds the word: the summary is the snippet, as on
    any card (the stored vector says the body holds no hit, so the body is not read)."""
    body = "<p>" + " ".join(["Volunteers planted trees along the canal."] * 40) + "</p>"
    make_release("Seoul opens shelters", summary="Cooling centres open today.", body=body)
    make_release("Busan opens shelters", summary="", body=body, published_at=days_ago(2))
    page = search(client, "Seoul")
    assert snippets(page) == ["Cooling centres open today."]
    assert snippets(search(client, "shelters"))[1].startswith("Volunteers planted trees")


@postgresql_only
@pytest.mark.django_db
def test_a_korean_summary_holding_the_start_of_a_word_searched_for_is_the_snippet(client):
    make_release(
        "서울 소식", slug="seoul", language="ko", summary="서울시는 무더위쉼터를 엽니다.", body=""
    )
    for query in ("서울시", "'서울\\", "서울시 -부산"):
        assert snippets(search(client, query, prefix="/ko")) == [
            "<mark>서울시는</mark> 무더위쉼터를 엽니다"
        ]


@postgresql_only
@pytest.mark.django_db
def test_the_snippet_of_a_long_body_gives_fragments_around_the_hits(client):
    filler = " ".join(["words"] * 200)
    make_release(
        "Annual report",
        summary="",
        body=f"<p>{filler} The wetland grew. {filler} A second wetland opened. {filler}</p>",
    )
    (snippet,) = snippets(search(client, "wetland"))
    assert snippet.count("<mark>wetland</mark>") == 2
    assert " … " in snippet
    assert len(snippet) < 600


# SQLite: the simple fallback


@fallback_only
@pytest.mark.django_db
def test_fallback_finds_every_word_in_title_summary_or_body_newest_first(client):
    make_release("Heat plan", summary="For Athens.", published_at=days_ago(5))
    make_release("Shade trees", body="<p>Against heat in Athens.</p>", published_at=days_ago(1))
    make_release("Heat in Paris", published_at=days_ago(3))
    assert card_titles(search(client, "athens HEAT")) == ["Shade trees", "Heat plan"]


@fallback_only
@pytest.mark.django_db
def test_fallback_snippet_is_the_summary_escaped_with_the_hits_marked(client):
    make_release("Heat plan", summary='Heat & <b>shade</b> for "Athens": heat.')
    make_release("Shade trees", summary="", body="<p>Trees give shade &amp; cool.</p>")
    page = search(client, "shade")
    assert snippets(page) == [
        "Trees give <mark>shade</mark> &amp; cool.",
        "Heat &amp; &lt;b&gt;<mark>shade</mark>&lt;/b&gt; for &quot;Athens&quot;: heat.",
    ]
    # A word never matches inside the entities that escaping makes (the body's "&amp;" does
    # match: the fallback searches the stored HTML).
    assert snippets(search(client, "amp")) == ["Trees give shade &amp; cool."]


@pytest.mark.django_db
def test_people_and_organizations_read_quotes_or_and_negated_words_as_search_syntax(client):
    make_person("Lauren Sorkin", bio="Works on sea level rise and rain.")
    make_person("Amy Chester", bio="Works on rain and flood defences.")
    make_organization("Coastal Alliance", boilerplate="Cities facing sea level rise.")

    page = search(client, '"sea level"')
    assert links(section(page, "people-heading")) == [("Lauren Sorkin", "/people/lauren-sorkin/")]
    assert links(section(page, "organizations-heading")) == [
        ("Coastal Alliance", "/organizations/coastal-alliance/")
    ]
    page = search(client, "-flood rain")
    assert links(section(page, "people-heading")) == [("Lauren Sorkin", "/people/lauren-sorkin/")]
    assert "organizations-heading" not in page
    assert "people-heading" not in search(client, "-flood")


@pytest.mark.django_db
def test_organizations_are_found_in_the_readers_language_and_in_english_each_column_once(
    client,
):
    """An organization is found by its name in the reader's language or in English. On an
    English page both are the same column, named once: a column named twice was read twice
    for every organization the database checked."""
    make_organization(
        "Water Board", name_es="Junta del Agua", slug="water", boilerplate_es="Agua potable."
    )
    for prefix, query in [("/es", "junta"), ("/es", "board"), ("/es", "potable"), ("", "board")]:
        page = search(client, query, prefix=prefix)
        assert links(section(page, "organizations-heading")) == [
            ("Water Board" if not prefix else "Junta del Agua", f"{prefix}/organizations/water/")
        ]
    assert "organizations-heading" not in search(client, "junta")

    for prefix, languages in [("", ["en"]), ("/es", ["es", "en"])]:
        with CaptureQueriesContext(connection) as queries:
            search(client, "agua water", prefix=prefix)
        (where,) = (
            query["sql"].split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
            for query in queries
            if 'FROM "press_organization"' in query["sql"]
        )
        named = re.findall(r'"press_organization"\."(\w+)"', where)
        # Each column once per word; no former name holds either word.
        assert sorted(named) == sorted(
            f"{field}_{code}"
            for field in ("name", "short_name", "boilerplate")
            for code in languages
            for _word in ("agua", "water")
        )


@postgresql_only
@pytest.mark.django_db
def test_search_vectors_stay_in_the_row_so_a_scan_never_reads_the_side_table(client):
    """Phrases and negated words are checked release by release, newest first: a vector kept
    in the row costs no extra reads (migration 0011)."""
    make_release("Sea level rise", body="<p>" + "The sea level rises. " * 400 + "</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'press_release'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)  # MAIN: in the row unless it cannot fit a page
    assert card_titles(search(client, '"sea level"')) == ["Sea level rise"]


@postgresql_only
@pytest.mark.django_db
def test_each_language_is_searched_with_its_own_configuration(client):
    """Spanish stems Spanish ("inundaciones" finds "inundación"), and a reader searches the
    releases of their language: the English page never lists the Spanish release."""
    make_release("Plan contra la inundación", slug="plan", language="es", summary="", body="")
    make_release("Flood plan", summary="", body="")

    assert card_titles(search(client, "inundaciones", prefix="/es")) == [
        "Plan contra la inundación"
    ]
    assert card_titles(search(client, "inundaciones")) == []
    assert card_titles(search(client, "floods", prefix="/es")) == []


@postgresql_only
@pytest.mark.django_db
def test_a_korean_word_finds_a_korean_release_with_a_particle_or_inside_a_compound(client):
    make_release("서울시는 무더위쉼터를 엽니다", slug="seoul", language="ko", summary="", body="")
    make_release("부산시 소식", slug="busan", language="ko", summary="", body="")

    for query in ("서울시", "쉼터", "서울시 엽니다"):
        assert card_titles(search(client, query, prefix="/ko")) == ["서울시는 무더위쉼터를 엽니다"]
    assert card_titles(search(client, "서울시 -쉼터", prefix="/ko")) == []
    # Punctuation is set aside, never a syntax error.
    assert card_titles(search(client, "'서울\\", prefix="/ko")) == ["서울시는 무더위쉼터를 엽니다"]


@pytest.mark.django_db
def test_a_search_made_again_reads_its_matches_and_its_results_in_one_round_trip(client):
    """The part of the page showing the results is read with the matches kept for the words
    (and the header and footer), not after them."""
    if not isinstance(caches["default"], ReusedClientRedisCache):
        pytest.skip("counts round trips to Redis (CI sets REDIS_URL)")
    for n in range(3):
        make_release(f"Mangrove plan {n}", published_at=days_ago(n + 1))
    for params in ({}, {"page": "1"}, {"page": "abc"}):
        search(client, "mangrove", **params)  # the matches and the results kept
        with redis_round_trips() as round_trips:
            page = search(client, "mangrove", **params)
        assert sorted(card_titles(page)) == [
            "Mangrove plan 0",
            "Mangrove plan 1",
            "Mangrove plan 2",
        ]
        assert len(round_trips) == 1, params
