"""The editorial roles as Django groups (see press/roles.py, applied again after every migrate)."""

from django.db import migrations

from press.roles import PRESS_GRANTS, grant


def create_groups(apps, schema_editor):
    grant(apps, "press", PRESS_GRANTS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PRESS_GRANTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
