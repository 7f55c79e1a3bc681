from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

from core import turns
from press.roles import grant

# Editors see every page but the journalists' (it names them: the contacts team's data).
INSIGHTS_GRANTS = {
    "Editor": ["view_overview", "view_topicinsights", "view_subscriberinsights"],
    "Press officer": "all",
    "Administrator": "all",
}


def grant_insights_permissions(sender, apps=global_apps, **kwargs):
    grant(apps, "insights", INSIGHTS_GRANTS)


class InsightsConfig(AppConfig):
    name = "insights"

    def ready(self):
        from insights import rollups

        post_migrate.connect(grant_insights_permissions, sender=self)
        # The dispatcher (contacts) keeps the rollups up to date, without importing insights.
        turns.on_each_turn(rollups.rollup_when_due)
