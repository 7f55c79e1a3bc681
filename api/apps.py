from django.apps import AppConfig
from django.db.models.signals import post_save


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API and webhooks"

    def ready(self):
        from api import tasks
        from core import turns
        from press.models import Release

        # Scheduled releases go live at their minute without a save: the dispatcher's turn
        # sees them. A save (publish, correct, unpublish) is told at once.
        turns.on_each_turn(tasks.turn)
        post_save.connect(tasks.release_saved, sender=Release, dispatch_uid="api.webhooks")
