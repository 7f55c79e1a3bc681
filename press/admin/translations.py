"""Translated fields in the admin (press/translation.py): editors type English in the field
itself, as before (the admin runs in English); the other languages wait in a folded
"Translations" section at the foot of the form."""

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
            "description": "Printed on pages in these languages; left empty, the English is.",
        }
        return [*fieldsets, ("Translations", translations)]
