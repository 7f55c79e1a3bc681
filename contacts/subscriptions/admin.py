"""Admin for subscribers: who signed up, from where, with what consent; their data exported
and erased on request (contacts/privacy/admin.py)."""

from django.contrib import admin

from contacts.models import Subscriber
from contacts.privacy.admin import PersonalDataAdmin


@admin.register(Subscriber)
class SubscriberAdmin(PersonalDataAdmin, admin.ModelAdmin):
    list_display = ["email", "status", "language", "consented_at", "source", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["consented_at", "created_at", "source"]
