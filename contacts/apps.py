from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

CONTACTS_GRANTS = {"Press officer": "all", "Administrator": "all"}


def grant_contacts_permissions(sender, apps=global_apps, **kwargs):
    from press.roles import grant

    grant(apps, "contacts", CONTACTS_GRANTS)


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from contacts import workers

        post_migrate.connect(grant_contacts_permissions, sender=self)
        # In every process, so that any task's worker says it is alive (contacts/workers.py).
        task_started.connect(workers.task_started, dispatch_uid="contacts.workers")
        task_finished.connect(workers.task_finished, dispatch_uid="contacts.workers")
