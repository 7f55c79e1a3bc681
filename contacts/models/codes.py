"""Countries and languages as codes (ISO 3166-1 alpha-2; BCP 47 language tags), and the codes
of what people write instead: "South Korea", "USA", "English", "Deutsch". Lists are built from
codes, so that "Korea", "KR" and "Republic of Korea" are one country; free text is read into
codes where it can be, by the migrations, the imports and the data generator alike."""

import re

from django import forms
from django.conf import global_settings, settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django_countries import countries

# Names the country list does not know, as people write them.
COUNTRY_ALIASES = {
    "united states": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "korea": "KR",
    "republic of korea": "KR",
    "ivory coast": "CI",
    "holland": "NL",
    "the netherlands": "NL",
    "uae": "AE",
    "deutschland": "DE",
    "españa": "ES",
    "brasil": "BR",
    "méxico": "MX",
    "россия": "RU",
    "中国": "CN",
    "日本": "JP",
    "한국": "KR",
    "대한민국": "KR",
}

# Django's own list of languages (its code, its English name) with plain Chinese added: a
# journalist writes in Chinese before anyone asks which script.
LANGUAGES = sorted([*global_settings.LANGUAGES, ("zh", "Chinese")], key=lambda pair: pair[1])
LANGUAGE_NAMES = dict(LANGUAGES)
LANGUAGE_ALIASES = {"mandarin": "zh", "cantonese": "zh-hant", "farsi": "fa", "castellano": "es"}


def country_code(text):
    """The ISO 3166-1 alpha-2 code of a country written as a code (KR, KOR, 410) or a name in
    English ("South Korea"), or as people often write it ("Korea", "UK"); "" when unknown."""
    text = " ".join(str(text or "").split())
    if not text:
        return ""
    code = countries.alpha2(text) if len(text) <= 3 else ""
    return code or COUNTRY_ALIASES.get(text.lower()) or countries.by_name(text) or ""


def language_codes(text):
    """The codes of the languages in `text` ("English, Korean" -> ["en", "ko"]; "Deutsch/FR"
    -> ["de", "fr"]), in its order, without repeats; words it cannot read are left out."""
    found = []
    for word in re.split(r"[,;/|&+]| and ", str(text or "")):
        code = language_code(word)
        if code and code not in found:
            found.append(code)
    return found


def language_code(text):
    """The code of one language written as its code ("ko", "pt-BR") or its name in English or
    in itself ("Korean", "한국어"); "" when unknown."""
    text = " ".join(str(text or "").split()).lower()
    if not text:
        return ""
    if text in LANGUAGE_NAMES:
        return text
    if text in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[text]
    for code, info in LANG_INFO.items():
        if code in LANGUAGE_NAMES and text in (info["name"].lower(), info["name_local"].lower()):
            return code
    primary = text.split("-")[0].split("_")[0]
    return primary if primary != text and primary in LANGUAGE_NAMES else ""


def validate_language(value):
    if value not in LANGUAGE_NAMES:
        raise ValidationError(f"{value!r} is not a language code we know, such as “en” or “ko”.")


class LanguageField(models.CharField):
    """A language code picked by its name in forms. As with press.time_zones.TimeZoneField,
    the list is built for the form, not stored in migrations: a new Django language needs no
    migration."""

    default_validators = [validate_language]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        choices = [(code, f"{name} ({code})") for code, name in LANGUAGES]
        if self.blank:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(
            choices=choices,
            label=kwargs.get("label") or self.verbose_name.capitalize(),
            help_text=self.help_text,
            required=not self.blank,
        )


def newsroom_languages():
    """The languages the newsroom publishes and writes its emails in (settings.LANGUAGES),
    as choices: read when a form is built, so no migration names them."""
    return settings.LANGUAGES


def newsroom_language(code):
    """The newsroom language closest to `code` (a page's or a reader's language: "es",
    "pt-BR", "en-us"): the same code, else one of the same primary language; else the
    default language."""
    return closest_language(code, dict(settings.LANGUAGES)) or settings.LANGUAGE_CODE


def closest_language(code, available):
    """Of the codes in `available`, `code` itself, else the first of the same primary
    language ("pt" finds "pt-br", "en-gb" finds "en"); "" when none is."""
    code = str(code or "").lower().replace("_", "-")
    if not code:
        return ""
    if code in available:
        return code
    primary = code.split("-")[0]
    return next((other for other in available if other.split("-")[0] == primary), "")
