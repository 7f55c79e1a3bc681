"""Translations in the admin. Translated fields (press/translation.py): editors type English
in the field itself, as before (the admin runs in English); the other languages wait in a
folded "Translations" section at the foot of the form. Releases: each translation is a
release of its own, made from the original by "Translate"."""

import reversion
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from modeltranslation.manager import get_translatable_fields_for_model
from modeltranslation.settings import AVAILABLE_LANGUAGES, DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname


def translation_columns(model, languages=AVAILABLE_LANGUAGES):
    """The per-language columns of `model`'s translated fields, field by field."""
    return [
        build_localized_fieldname(field, language)
        for field in get_translatable_fields_for_model(model) or ()
        for language in languages
    ]


class TranslatedFieldsAdmin:
    """Mixed into a ModelAdmin or an inline of a model with translated fields."""

    def get_fieldsets(self, request, obj=None):
        columns = set(translation_columns(self.model))
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in columns]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        others = [language for language in AVAILABLE_LANGUAGES if language != DEFAULT_LANGUAGE]
        translations = {
            "classes": ["collapse"],
            "fields": translation_columns(self.model, others),
            "description": "Shown on pages in these languages; left empty, the English is.",
        }
        return [*fieldsets, ("Translations", translations)]


class ReleaseTranslationsAdmin:
    """Mixed into the release admin: the languages a release's group has (linked) and lacks,
    and "Translate", which makes a draft in a missing one (Release.translate())."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "language"] if obj else fields

    def get_urls(self):
        view = self.admin_site.admin_view(self.translate_view)
        return [
            path("<int:pk>/translate/", view, name="press_release_translate"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = self.get_object(request, object_id)
        if release is not None:
            extra_context = {
                **(extra_context or {}),
                "language_name": dict(settings.LANGUAGES).get(release.language),
                "translations": [
                    (dict(settings.LANGUAGES).get(other.language), other)
                    for other in release.translations().order_by("language")
                ],
                "missing_languages": release.missing_languages(),
                "can_translate": self.has_add_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def translate_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = get_object_or_404(self.model, pk=pk)
        if not (
            self.has_add_permission(request)
            and self.has_view_or_change_permission(request, release)
        ):
            raise PermissionDenied
        language = request.POST.get("language", "")
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                draft = release.translate(language, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("admin:press_release_change", release.pk)
        name = dict(settings.LANGUAGES)[language]
        messages.success(
            request,
            f"A {name} draft of “{release}” was made with its people, quotes, topics and "
            "pictures: write the translation over the copied text.",
        )
        return redirect("admin:press_release_change", draft.pk)
