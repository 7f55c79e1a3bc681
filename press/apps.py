from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PressConfig(AppConfig):
    name = "press"

    def ready(self):
        from press.roles import grant_press_permissions

        post_migrate.connect(grant_press_permissions, sender=self)
