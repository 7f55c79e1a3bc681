"""Admin for the press offices and the press contacts shown on every release."""

from django.contrib import admin

from contacts.models import PressContact, PressOffice


class PressContactInline(admin.TabularInline):
    model = PressContact
    extra = 1
    fields = ["name", "title", "email", "phone", "is_public", "order"]


@admin.register(PressOffice)
class PressOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [PressContactInline]


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "office", "email", "phone", "is_public"]
    list_filter = ["is_public", "office"]
    list_select_related = ["office"]
    search_fields = ["name", "title", "email"]
    autocomplete_fields = ["office"]
