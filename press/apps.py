import functools

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from core import caching, page_cache
from press.roles import grant_core_permissions, grant_press_permissions


class PressConfig(AppConfig):
    name = "press"

    def ready(self):
        from press import models, urls

        post_migrate.connect(grant_press_permissions, sender=self)
        post_migrate.connect(grant_core_permissions, sender=self)
        # Anything a public page shows makes the cached pages stale when it changes.
        caching.changes_with(
            models.Correction,
            models.Organization,
            models.Person,
            models.Quote,
            models.Release,
            models.ReleaseImage,
            models.Role,
            models.TaggedRelease,
            models.Topic,
            through=[
                models.Release.people.through,
                models.Release.organizations.through,
                models.Release.pinned_related.through,
            ],
        )
        caching.follows_schedule(models.Release.objects.next_change)
        page_cache.on_hit(
            "release-read",
            models.ReleaseRead.objects.record_when_sent,
            counter=functools.partial(models.reads.read_counter, urls.release_page.pattern),
        )
