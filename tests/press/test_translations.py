"""Translating a release: a draft in another language with the original's structure copied;
and what publication prints about people and organizations, in the release's language."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from press.models import Release
from tests.factories import (
    make_organization,
    make_person,
    make_quote,
    make_release,
    make_release_image,
    make_role,
    make_topic,
    make_user,
)
from tests.pages import logged_in

pytestmark = pytest.mark.django_db


def make_seoul_release():
    seoul = make_organization("Seoul Metropolitan Government")
    seoul.name_ko, seoul.boilerplate_ko = "서울특별시", "서울특별시는 천만 시민의 도시입니다."
    seoul.save()
    mayor = make_person("Oh Se-hoon")
    role = make_role(mayor, seoul, "Mayor", start_date=datetime.date(2021, 4, 8))
    role.title_ko, role.title_es = "시장", "Alcalde"
    role.save()
    release = make_release(
        "Seoul opens its first heat shelters",
        byline=seoul,
        dateline_place="SEOUL",
        dateline_time_zone="Asia/Seoul",
        media_contact=mayor,
        topics=[make_topic("Extreme Heat")],
    )
    release.people.set([mayor])
    quote = make_quote(release, mayor, "No one should face the heat alone.", role=role)
    release.body = f"<p>Opening.</p><p>[quote {quote.pk}]</p><p>Closing.</p>"
    release.save()
    return release, mayor, role


def test_a_translation_is_a_draft_in_the_group_with_the_structure_copied(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    english, mayor, role = make_seoul_release()
    make_release_image(english)

    korean = english.translate("ko")

    assert korean.status == Release.Status.DRAFT and korean.language == "ko"
    assert korean.translation_key == english.translation_key
    assert korean.slug == "seoul-opens-its-first-heat-shelters-ko"
    assert (korean.title, korean.byline, korean.media_contact) == (
        english.title, english.byline, mayor,
    )  # fmt: skip
    assert (korean.dateline_place, korean.dateline_time_zone) == ("SEOUL", "Asia/Seoul")
    assert list(korean.people.all()) == [mayor]
    assert [topic.name for topic in korean.topics.all()] == ["Extreme Heat"]
    assert korean.images.count() == 1
    [quote] = korean.quotes.all()
    assert (quote.person, quote.role, quote.attribution) == (mayor, role, "")
    assert korean.body == f"<p>Opening.</p><p>[quote {quote.pk}]</p><p>Closing.</p>"
    assert english.quotes.get().release_id == english.pk
    assert set(english.translations()) == {korean}


def test_a_language_the_group_has_already_is_refused():
    english, _, _ = make_seoul_release()
    spanish = english.translate("es")

    for language in ("en", "es", "xx"):
        with pytest.raises(ValidationError):
            spanish.translate(language)
    assert [code for code, _ in spanish.missing_languages()] == ["pt-br", "fr", "ko", "ar"]


def test_publishing_prints_roles_and_byline_in_the_release_language():
    english, _, _ = make_seoul_release()
    korean = english.translate("ko")
    spanish = english.translate("es")
    french = english.translate("fr")

    for release in (korean, spanish, french):
        release.published_at = datetime.datetime(2021, 9, 23, 1, tzinfo=datetime.UTC)
        release.status = Release.Status.PUBLISHED
        release.save()

    assert korean.quotes.get().attribution == "시장, 서울특별시"
    assert (korean.byline_name, korean.boilerplate) == (
        "서울특별시", "서울특별시는 천만 시민의 도시입니다.",
    )  # fmt: skip
    assert spanish.quotes.get().attribution == "Alcalde, Seoul Metropolitan Government"
    # No French title: the English one.
    assert french.quotes.get().attribution == "Mayor, Seoul Metropolitan Government"


def test_what_was_typed_before_translation_is_the_english_and_the_fallback():
    role = make_role(make_person(), make_organization(), "Executive Director")
    role.refresh_from_db()

    assert role.title_en == "Executive Director" and role.title_es is None
    with translation.override("es"):
        assert role.title == "Executive Director"
    role.title_es = "Directora ejecutiva"
    role.save()
    with translation.override("es"):
        assert role.title == "Directora ejecutiva"
    assert role.title == "Executive Director"


def test_the_role_admin_keeps_english_in_the_field_and_other_languages_apart(admin_client):
    role = make_role(make_person(), make_organization(), "Executive Director")
    url = f"/admin/press/role/{role.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="title"' in page and 'name="title_ko"' in page and 'name="title_en"' not in page

    admin_client.post(url, {
        "person": role.person_id, "organization": role.organization_id, "kind": "executive",
        "title": "Executive Director", "title_es": "Directora ejecutiva", "title_ko": "사무총장",
    })  # fmt: skip

    role.refresh_from_db()
    assert (role.title_en, role.title_es, role.title_ko) == (
        "Executive Director", "Directora ejecutiva", "사무총장",
    )  # fmt: skip


def test_the_release_admin_shows_the_group_and_translates_into_a_missing_language():
    english, _, _ = make_seoul_release()
    spanish = english.translate("es")
    client = logged_in(make_user("writer", "Contributor"))
    page = client.get(f"/admin/press/release/{english.pk}/change/").content.decode()
    assert f'href="/admin/press/release/{spanish.pk}/change/"' in page
    assert "Missing: Português (Brasil), Français, 한국어, العربية." in page

    response = client.post(f"/admin/press/release/{english.pk}/translate/", {"language": "ko"})

    korean = Release.objects.get(language="ko")
    assert response["Location"] == f"/admin/press/release/{korean.pk}/change/"
    assert korean.translation_key == english.translation_key and korean.author.username == "writer"
    again = client.post(f"/admin/press/release/{english.pk}/translate/", {"language": "ko"})
    assert Release.objects.filter(language="ko").count() == 1
    assert again["Location"] == f"/admin/press/release/{english.pk}/change/"
