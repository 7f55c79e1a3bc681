"""The language a release is written in, and the group of releases that translate each other:
each translation is a release of its own (own address, time, quotes), linked by one key."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.translation import get_language, to_locale

from press.models.quote_blocks import QUOTE_BLOCK

# What a translation starts from, as the original has it: the text for the translator to write
# over, and what stays the same in every language (the byline, the place, the pictures).
COPIED_FIELDS = (
    "title", "subtitle", "summary", "body", "byline", "dateline_place", "dateline_time_zone",
    "dateline_override", "featured_image", "featured_image_alt", "featured_image_caption",
    "featured_image_credit", "featured_image_licence", "media_contact",
)  # fmt: skip


def validate_language(code):
    """A language the newsroom publishes in (settings.LANGUAGES)."""
    if code not in dict(settings.LANGUAGES):
        raise ValidationError(f"“{code}” is not one of the newsroom's languages.")


def language_tag(code):
    """The BCP 47 tag of a Django language code, as pages and hreflang print it: pt-br is
    pt-BR (Django's locale name, pt_BR, with a hyphen)."""
    return to_locale(code).replace("_", "-")


def format_day(day, english_format):
    """`day` as the active language writes a date: in English the house style given ("j F Y"),
    in the others their own (Django's DATE_FORMAT: "23 de septiembre de 2021",
    "2021년 9월 23일")."""
    english = get_language() == settings.LANGUAGE_CODE
    return date_format(day, english_format if english else "DATE_FORMAT")


class Translatable(models.Model):
    language = models.CharField(
        max_length=35,
        default="en",
        validators=[validate_language],
        help_text="The language the release is written in.",
    )
    translation_key = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        db_index=True,
        help_text="Shared by the releases that translate each other.",
    )

    class Meta:
        abstract = True

    def translations(self):
        """The other releases of this release's translation group (any status). A query."""
        return type(self).objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)

    @property
    def language_tag(self):
        return language_tag(self.language)

    def missing_languages(self):
        """The newsroom's languages (code, name) the group has no release in yet. A query."""
        present = {self.language, *self.translations().values_list("language", flat=True)}
        return [(code, name) for code, name in settings.LANGUAGES if code not in present]

    def versions(self, translations):
        """This release and its `translations` (Release.objects.live_translations()) in the
        newsroom's order of languages, and the one for readers of any other language
        (hreflang x-default): the English one, else the first."""
        order = [code for code, _ in settings.LANGUAGES]
        versions = sorted([self, *translations], key=lambda release: order.index(release.language))
        return versions, versions[0]

    @transaction.atomic
    def translate(self, language, user=None):
        """A draft of this release in `language`, in its group, for a translator to write
        over: its text and structure copied (people and organizations, quotes with their
        speakers and chosen roles, topics, pictures, dateline place and time zone, byline,
        media contact). Its own address: the slug ends with the language. Quote codes in the
        body name the copies of the quotes. A language the group has is refused."""
        validate_language(language)
        if language == self.language or self.translations().filter(language=language).exists():
            raise ValidationError(f"This release has a translation in “{language}” already.")
        draft = type(self)(
            **{field: getattr(self, field) for field in COPIED_FIELDS},
            slug=f"{self.slug[: 200 - len(language) - 1]}-{language}",
            language=language,
            translation_key=self.translation_key,
            author=user,
            last_edited_by=user,
        )
        draft.save()
        with draft.search_vector_refreshed_once():
            draft.people.set(self.people.all())
            draft.organizations.set(self.organizations.all())
            draft.topics.set(self.topics.all())
            codes = {}
            for quote in self.quotes.all():
                original_pk = quote.pk
                quote.pk, quote.id, quote.release, quote.attribution = None, None, draft, ""
                quote.save()
                codes[original_pk] = quote.pk
            for image in self.images.all():
                image.pk, image.id, image.release = None, None, draft
                image.save()
            draft.body = QUOTE_BLOCK.sub(
                lambda code: f"<p>[quote {codes.get(int(code[1]), code[1])}]</p>", draft.body
            )
            draft.save(update_fields=["body"])
        return draft
