"""Admin for the press offices and the press contacts shown on every release."""

from django.conf import settings
from django.contrib import admin
from modeltranslation.utils import build_localized_fieldname

from contacts.models import PressContact, PressOffice


def translations(*fields):
    """A folded fieldset of the other languages' columns of `fields`: editors type English
    in the field itself (the admin runs in English)."""
    columns = [
        build_localized_fieldname(field, code)
        for field in fields
        for code, _ in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]
    return (
        "Translations",
        {
            "classes": ["collapse"],
            "fields": columns,
            "description": "Shown on pages in these languages; left empty, the English is.",
        },
    )


class PressContactInline(admin.TabularInline):
    model = PressContact
    extra = 1
    fields = ["name", "title", "email", "phone", "is_public", "order"]


@admin.register(PressOffice)
class PressOfficeAdmin(admin.ModelAdmin):
    fieldsets = [(None, {"fields": ["name", "order", "time_zone"]}), translations("name")]
    list_display = ["name", "time_zone", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [PressContactInline]


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["office", "name", "title", "email", "phone", "is_public", "order"]}),
        translations("title"),
    ]
    list_display = ["name", "title", "office", "email", "phone", "is_public"]
    list_filter = ["is_public", "office"]
    list_select_related = ["office"]
    search_fields = ["name", "title", "email"]
    autocomplete_fields = ["office"]
