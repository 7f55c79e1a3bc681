"""Press officers and administrators manage contacts (applied again after every migrate)."""

from django.db import migrations

from contacts.apps import CONTACTS_GRANTS
from press.roles import grant


def grant_contacts(apps, schema_editor):
    grant(apps, "contacts", CONTACTS_GRANTS)


def revoke_contacts(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    contacts = Permission.objects.filter(content_type__app_label="contacts")
    for group in Group.objects.filter(name__in=CONTACTS_GRANTS):
        group.permissions.remove(*contacts)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("press", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant_contacts, revoke_contacts)]
