"""The suppression list in the admin: addresses no email may go to, added one by one here or
imported from a file (the contacts import, "a suppression list"). Taking an address off the
list (deleting it) is for one added by mistake."""

from django import forms
from django.contrib import admin

from contacts.models import Suppression, normalize_email


class SuppressionForm(forms.ModelForm):
    class Meta:
        model = Suppression
        fields = ["email", "reason", "source"]

    def clean_email(self):
        # Compared in lower case, so the uniqueness check sees the address as stored.
        return normalize_email(self.cleaned_data["email"])


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    form = SuppressionForm
    list_display = ["email", "reason", "source", "created_by", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["created_by"]
    search_fields = ["email"]
    search_help_text = "Part of an address, in any case."
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # Another address is another suppression: add it, rather than change this one.
        return [*self.readonly_fields, "email"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
