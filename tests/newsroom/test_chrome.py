"""The site's header and footer are the same on every page of a language: rendered once, kept
until content changes, and shown again on every page without being rendered."""

import pytest

from tests.factories import make_release, name_the_organization
from tests.pages import get_page, renders_of

pytestmark = pytest.mark.django_db


def test_the_header_and_footer_are_rendered_once_per_language_then_shown_from_where_they_are_kept(
    client,
):
    release = make_release("Cooling centres open")
    with (
        renders_of("includes/header.html") as headers,
        renders_of("includes/footer.html") as footers,
    ):
        home = get_page(client, "/")
        others = [get_page(client, url) for url in ("/releases/", release.get_absolute_url())]
        spanish = get_page(client, "/es/")

    assert (len(headers), len(footers)) == (2, 2)  # English once, Spanish once
    header = home[home.index('<header class="site-header">') : home.index("</header>")]
    assert all(header in page for page in others)
    assert 'href="/es/releases/"' in spanish and 'href="/es/releases/"' not in home


def test_a_new_organization_name_shows_in_the_kept_header_and_footer_at_once(client):
    name_the_organization("Resilient Cities Network")
    assert "<span>Resilient Cities Network</span>" in get_page(client, "/")

    name_the_organization("Cities Network")
    page = get_page(client, "/releases/")
    assert "<span>Cities Network</span>" in page
    assert "Resilient" not in page


def test_the_search_page_header_keeps_the_words_searched_and_no_other_page_shows_them(client):
    get_page(client, "/")  # the header kept, with an empty search box
    search = get_page(client, "/search/?q=heat+plan")
    assert 'id="site-search-q" name="q" placeholder="Search releases" value="heat plan"' in search

    for url in ("/", "/releases/"):
        page = get_page(client, url)
        assert 'id="site-search-q" name="q" placeholder="Search releases" value=""' in page
        assert "heat plan" not in page
