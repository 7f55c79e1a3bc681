"""A release's language is one the newsroom publishes in; releases sharing a translation key
are each other's translations."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_draft, make_release

pytestmark = pytest.mark.django_db


def test_new_releases_are_english_and_in_a_group_of_their_own():
    first, second = make_release(title="One"), make_release(title="Two", slug="two")

    assert (first.language, second.language) == ("en", "en")
    assert first.translation_key != second.translation_key
    assert list(first.translations()) == []


def test_releases_sharing_a_key_are_each_others_translations():
    english = make_release(title="Cities join forces on heat")
    spanish = make_draft(
        title="Las ciudades se unen contra el calor", language="es",
        translation_key=english.translation_key,
    )  # fmt: skip
    korean = make_draft(
        title="도시들이 폭염에 맞서 힘을 모읍니다", slug="heat-ko", language="ko",
        translation_key=english.translation_key,
    )  # fmt: skip
    make_release(title="Unrelated", slug="unrelated")

    assert set(english.translations()) == {spanish, korean}
    assert set(korean.translations()) == {english, spanish}


def test_a_language_the_newsroom_does_not_publish_in_is_refused():
    release = make_release(language="xx")

    with pytest.raises(ValidationError) as refused:
        release.full_clean()

    assert "language" in refused.value.message_dict
