from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from solo.admin import SingletonModelAdmin

from core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    # "mastodon.social/@city" is read as https://, as Django 6 will by default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["organization_name", "logo", "show_name_with_logo", "typeface"]}),
        (
            "Colours",
            {
                "description": "Each colour is checked against the page background in the "
                "light and the dark theme, so that text in it stays readable.",
                "fields": [
                    "primary_colour",
                    "accent_colour",
                    "primary_colour_dark",
                    "accent_colour_dark",
                ],
            },
        ),
        ("Footer and sharing", {"fields": ["footer_text", "share_image"]}),
        (
            "Social accounts",
            {
                "fields": [
                    "linkedin_url",
                    "bluesky_url",
                    "mastodon_url",
                    "instagram_url",
                    "youtube_url",
                    "facebook_url",
                ]
            },
        ),
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # django-solo creates the record before Django checks permissions: refused first, a
        # visit without them writes nothing.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A colour picker for the two colours always set; the dark theme's may stay empty,
        # which a colour picker cannot.
        if db_field.name in ("primary_colour", "accent_colour"):
            kwargs["widget"] = forms.TextInput(attrs={"type": "color"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
