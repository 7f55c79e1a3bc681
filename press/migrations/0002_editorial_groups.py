"""The editorial roles as Django groups. Later apps add their own permissions to them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRESS_MODELS = [
    "organization", "person", "role", "topic", "taggedrelease", "release", "quote",
    "releaseimage", "rendition", "transition", "previewlink", "previewdecision", "slugredirect",
]  # fmt: skip
WRITING = [
    "add_release", "change_release", "view_release", "submit_release",
    "add_quote", "change_quote", "delete_quote", "view_quote",
    "add_releaseimage", "change_releaseimage", "delete_releaseimage", "view_releaseimage",
    "add_previewlink", "change_previewlink", "view_previewlink", "view_previewdecision",
    "view_transition", "view_person", "view_organization", "view_role", "view_topic",
]  # fmt: skip
EDITING = WRITING + [
    "publish_release", "edit_any_release",
    "add_person", "change_person", "add_organization", "change_organization",
    "add_role", "change_role", "delete_role", "add_topic", "change_topic",
]  # fmt: skip
READING = [f"view_{model}" for model in PRESS_MODELS]

GROUPS = {
    "Contributor": WRITING,
    "Editor": EDITING,
    "Press officer": READING,
    "Administrator": None,  # every permission of the app
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now to use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    press = Permission.objects.filter(content_type__app_label="press")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(press if codenames is None else press.filter(codename__in=codenames)))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
