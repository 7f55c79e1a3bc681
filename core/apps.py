from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "site and background workers"

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from core import caching, models, workers

        # Every public page shows the brand: a change to it makes cached pages stale.
        caching.changes_with(models.SiteSettings)
        # A deploy's migrations change rows without saving them (and may change what a kept
        # model instance holds): nothing kept before `migrate` is served after it.
        post_migrate.connect(caching.content_changed, sender=self, dispatch_uid="core.migrated")
        # Some values are read once per request (core.caching.once_per_request).
        request_started.connect(caching.request_started, dispatch_uid="core.read-this-request")
        request_finished.connect(caching.request_finished, dispatch_uid="core.read-this-request")
        # After it: the dictionary it makes holds what is read ahead.
        request_started.connect(models.read_settings_ahead, dispatch_uid="core.settings-ahead")

        # In every process, so that any task's worker says it is alive (core/workers.py).
        task_started.connect(workers.task_started, dispatch_uid="core.workers")
        task_finished.connect(workers.task_finished, dispatch_uid="core.workers")
