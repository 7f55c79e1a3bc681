from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate, pre_save

from core import caching
from press.roles import grant

CONTACTS_GRANTS = {"Press officer": "all", "Administrator": "all"}


def grant_contacts_permissions(sender, apps=global_apps, **kwargs):
    grant(apps, "contacts", CONTACTS_GRANTS)


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from anymail.signals import tracking

        from contacts.imports import presets
        from contacts.mailings import feedback
        from contacts.models import ImportMapping, PressContact, PressOffice
        from contacts.models.segments import follow_topic_merge
        from press.models.topics import topics_merged

        post_migrate.connect(grant_contacts_permissions, sender=self)
        # The import's shipped mappings, as the groups: in every database, after every flush.
        post_migrate.connect(presets.install, sender=self)
        pre_save.connect(presets.give_way_to_loaded, sender=ImportMapping)
        # Press contacts are on every release page: a change makes the cached pages stale.
        caching.changes_with(PressContact, PressOffice)
        # The mail provider's reports (bounces, complaints) on the emails we sent.
        tracking.connect(feedback.on_tracking, dispatch_uid="contacts.feedback")
        # Segments name beats by id, in JSON: a merge of topics changes them too.
        topics_merged.connect(follow_topic_merge, dispatch_uid="contacts.segments-beats")
