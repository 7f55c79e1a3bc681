"""Admin for subscribers: who signed up, from where, with what consent."""

from django.contrib import admin

from contacts.models import Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "consented_at", "source", "created_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["consented_at", "created_at", "source"]
