"""Press officers and administrators manage contacts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    contacts = Permission.objects.filter(content_type__app_label="contacts")
    for name in ["Press officer", "Administrator"]:
        Group.objects.get(name=name).permissions.add(*contacts)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    contacts = Permission.objects.filter(content_type__app_label="contacts")
    for group in Group.objects.filter(name__in=["Press officer", "Administrator"]):
        group.permissions.remove(*contacts)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("press", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
