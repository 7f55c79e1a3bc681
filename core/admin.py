from django.contrib import admin
from solo.admin import SingletonModelAdmin

from core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
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
