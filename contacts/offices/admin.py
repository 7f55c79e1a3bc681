"""Admin for the press offices and the press contacts shown on every release."""

from django.contrib import admin

from contacts.models import PressContact, PressOffice
from press.admin.translations import TranslatedFieldsAdmin


class PressContactInline(admin.TabularInline):
    model = PressContact
    extra = 1
    fields = ["name", "title", "email", "phone", "is_public", "order"]


@admin.register(PressOffice)
class PressOfficeAdmin(TranslatedFieldsAdmin, admin.ModelAdmin):
    fieldsets = [(None, {"fields": ["name", "order", "time_zone"]})]
    list_display = ["name", "time_zone", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [PressContactInline]


@admin.register(PressContact)
class PressContactAdmin(TranslatedFieldsAdmin, admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["office", "name", "title", "email", "phone", "is_public", "order"]})
    ]
    list_display = ["name", "title", "office", "email", "phone", "is_public"]
    list_filter = ["is_public", "office"]
    list_select_related = ["office"]
    search_fields = ["name", "title", "email"]
    autocomplete_fields = ["office"]
