"""Readers' pages in several languages: a release in English, Spanish and Korean, each at its
own language's address, linking the others (hreflang, switcher), dated as each language writes
dates; lists and feeds showing the reader's language."""

import datetime
import re

import feedparser
import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation

from press.templatetags.press_languages import address_in
from tests.factories import make_draft, make_organization, make_release, make_topic
from tests.pages import count_queries, get_page

pytestmark = pytest.mark.django_db

ON = datetime.datetime(2021, 9, 23, 1, 0, tzinfo=datetime.UTC)  # 10:00 in Seoul
EN = "/releases/2021/09/23/seoul-opens-heat-shelters/"
ES = "/es/releases/2021/09/23/seul-abre-refugios/"
KO = "/ko/releases/2021/09/23/seoul-shelters-ko/"


def make_group():
    """One release in three languages, and a Spanish draft of another."""
    make_organization("Seoul Metropolitan Government")
    place = {"published_at": ON, "dateline_time_zone": "Asia/Seoul"}
    english = make_release("Seoul opens heat shelters", dateline_place="SEOUL", **place)
    key = english.translation_key
    make_release("Seúl abre refugios", slug="seul-abre-refugios", language="es",
                 translation_key=key, dateline_place="SEÚL", **place)  # fmt: skip
    make_release("서울시, 무더위 쉼터 개방", slug="seoul-shelters-ko", language="ko",
                 translation_key=key, dateline_place="서울", **place)  # fmt: skip
    make_draft("Borrador", slug="borrador", language="es")
    return english


def alternates(page):
    return re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)


def test_each_translation_lives_under_its_language_and_links_the_others(client):
    make_group()
    expected = [
        ("en", f"http://testserver{EN}"),
        ("es", f"http://testserver{ES}"),
        ("ko", f"http://testserver{KO}"),
        ("x-default", f"http://testserver{EN}"),
    ]
    for url in (EN, ES, KO):
        page = get_page(client, url)
        assert alternates(page) == expected
        switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S)[0]
        assert re.findall(r"<(?:a|span)[^>]*>([^<]+)</", switcher) == [
            "English",
            "Español",
            "한국어",
        ]
    korean = get_page(client, KO)
    assert '<html lang="ko" dir="ltr">' in korean
    assert '"inLanguage": "ko"' in korean  # the NewsArticle's structured data


def test_a_release_under_another_languages_address_is_sent_to_its_own(client):
    make_group()

    assert client.get("/es/releases/2021/09/23/seoul-shelters-ko/")["Location"] == KO
    assert client.get("/releases/2021/09/23/seul-abre-refugios/")["Location"] == ES
    assert client.get("/ko/releases/2021/09/23/seoul-opens-heat-shelters/")["Location"] == EN
    assert client.get("/es/releases/2021/09/23/borrador/").status_code == 404


def test_dates_and_datelines_are_written_as_each_language_writes_them(client):
    make_group()

    english, spanish, korean = (get_page(client, url) for url in (EN, ES, KO))

    assert "Thursday, 23 September 2021" in english and "(SEOUL, September 23, 2021)" in english
    assert ">23 de septiembre de 2021</time>" in spanish
    assert "(SEÚL, 23 de septiembre de 2021)" in spanish
    assert ">2021년 9월 23일</time>" in korean and "(서울, 2021년 9월 23일)" in korean


def test_an_arabic_page_reads_right_to_left_and_brazilian_portuguese_is_tagged_pt_br(client):
    english = make_group()
    make_release("مدن", slug="mudun", language="ar", translation_key=english.translation_key,
                 published_at=ON)  # fmt: skip
    make_release("Cidades", slug="cidades", language="pt-br", published_at=ON)

    arabic = get_page(client, "/ar/releases/2021/09/23/mudun/")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<article class="release primary" aria-labelledby="release-title" lang="ar">' in arabic
    assert ("ar", "http://testserver/ar/releases/2021/09/23/mudun/") in alternates(arabic)
    assert '<html lang="pt-BR" dir="ltr">' in get_page(client, "/pt-br/releases/")


def titles(page):
    return re.findall(r'<h[23] class="card-title"><a href="[^"]+">([^<]+)</a>', page)


def test_lists_show_the_readers_language_or_every_language(client):
    make_group()

    assert titles(get_page(client, "/releases/")) == ["Seoul opens heat shelters"]
    assert titles(get_page(client, "/es/releases/")) == ["Seúl abre refugios"]
    assert sorted(titles(get_page(client, "/releases/?language=all"))) == [
        "Seoul opens heat shelters", "Seúl abre refugios", "서울시, 무더위 쉼터 개방",
    ]  # fmt: skip
    korean_home = get_page(client, "/ko/")
    assert "서울시, 무더위 쉼터 개방" in korean_home and "Seoul opens" not in korean_home


def test_each_language_has_its_feed(client):
    make_group()

    spanish = feedparser.parse(client.get("/es/feeds/releases/rss/").content)
    english = feedparser.parse(client.get("/feeds/releases/atom/").content)

    assert [entry.link for entry in spanish.entries] == [f"http://testserver{ES}"]
    assert spanish.feed.language == "es"
    assert [entry.title for entry in english.entries] == ["Seoul opens heat shelters"]


def test_the_sitemap_gives_each_release_its_translations(client):
    make_group()

    sitemap = client.get("/sitemap-releases.xml").content.decode()

    links = re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', sitemap)
    assert len(links) == 3 * 4
    assert links[:4] == [
        ("en", f"http://testserver{EN}"),
        ("es", f"http://testserver{ES}"),
        ("ko", f"http://testserver{KO}"),
        ("x-default", f"http://testserver{EN}"),
    ]


def test_a_language_list_and_a_translated_page_cost_what_english_ones_do(client):
    english = make_group()
    get_page(client, "/releases/"), get_page(client, EN), get_page(client, "/es/releases/")
    english_list, english_page = count_queries(client, "/releases/"), count_queries(client, EN)

    assert count_queries(client, "/es/releases/") == english_list
    for n in range(2):
        make_release(f"Otra {n}", language="es", published_at=ON)
    get_page(client, "/es/releases/"), get_page(client, KO), get_page(client, EN)
    assert count_queries(client, "/es/releases/") == english_list
    assert count_queries(client, KO) == english_page == count_queries(client, EN)
    assert english.translation_key  # the group is the one whose pages are counted


def test_a_page_says_its_language_and_never_varies_with_the_browsers(client):
    make_group()

    english = client.get(EN, headers={"accept-language": "ko"})
    korean = client.get(KO)

    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert (english["Content-Language"], korean["Content-Language"]) == ("en", "ko")
    assert "Accept-Language" not in english.get("Vary", "")


def test_the_interface_speaks_the_pages_language(client):
    make_group()

    spanish, korean = get_page(client, "/es/releases/"), get_page(client, KO)

    assert '<h1 id="list-heading">Comunicados de prensa</h1>' in spanish
    assert 'placeholder="Buscar comunicados"' in spanish
    assert '<h2 id="related-heading">관련 기사</h2>' in korean
    assert '<p class="byline">작성 <a' in korean


def test_a_thread_that_served_another_language_is_english_again():
    """What a test or a task saves after a Spanish page is saved as English."""
    make_group()
    Client().get(ES)

    topic = make_topic("Heat")

    assert (topic.name_en, topic.name_es) == ("Heat", None)


def test_other_pages_link_their_address_in_every_language_and_a_404_none(client):
    make_group()
    tags = ["en", "es", "pt-BR", "fr", "ko", "ar"]
    prefixes = ["", "/es", "/pt-br", "/fr", "/ko", "/ar"]
    expected = [
        *[(tag, f"http://testserver{prefix}/releases/?page=2") for tag, prefix in
          zip(tags, prefixes, strict=True)],
        ("x-default", "http://testserver/releases/?page=2"),
    ]  # fmt: skip
    for n in range(20):  # a second page of English releases
        make_release(f"Release {n}", slug=f"release-{n}")

    for url in ("/releases/?page=2", "/es/releases/?page=2"):
        assert alternates(get_page(client, url)) == expected
    assert alternates(client.get("/no-such-page/").content.decode()) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/releases/?page=2&language=all",
        "/es/topics/extreme-heat/",
        "/ko/people/sylvester-turner/",
        "/pt-br/subscribe/",
        "/sitemap.xml",
        "/no-such-page/",
    ],
)
def test_a_pages_address_in_each_language_is_the_one_django_translates_it_to(path):
    """press_languages.address_in() reverses the request's own route in each language instead
    of resolving the address again for each: the same addresses as translate_url()."""
    language = path.split("/")[1] if path.split("/")[1] in ("es", "ko", "pt-br") else "en"
    with translation.override(language):
        try:
            match = resolve(path.partition("?")[0])
        except Resolver404:
            match = None
        for code, _ in settings.LANGUAGES:
            assert address_in(path, match, code) == translate_url(path, code)
