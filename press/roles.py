"""The editorial roles, as Django groups and the permissions each holds.

Kept in code and applied after every `migrate` (and every test flush), so a database always
has the groups; each app grants its own permissions, and press grants core's (the site
settings), since core knows no groups."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

WRITING = [
    "add_release", "change_release", "view_release", "submit_release",
    "add_quote", "change_quote", "delete_quote", "view_quote",
    "add_releaseimage", "change_releaseimage", "delete_releaseimage", "view_releaseimage",
    "add_previewlink", "change_previewlink", "view_previewlink", "view_previewdecision",
    "view_transition", "view_person", "view_organization", "view_organizationname",
    "view_role", "view_topic",
]  # fmt: skip
EDITING = WRITING + [
    "publish_release", "edit_any_release",
    "add_person", "change_person", "add_organization", "change_organization",
    "add_organizationname", "change_organizationname", "delete_organizationname",
    "add_role", "change_role", "delete_role", "add_topic", "change_topic", "merge_topic",
]  # fmt: skip

PRESS_GRANTS = {
    "Contributor": WRITING,
    "Editor": EDITING,
    "Press officer": "view",  # every view permission of the app
    "Administrator": "all",  # every permission of the app
}
# The organization's name and look (core.SiteSettings): the people who speak for it.
CORE_GRANTS = {
    "Press officer": ["view_sitesettings", "change_sitesettings"],
    "Administrator": ["view_sitesettings", "change_sitesettings"],
}


def grant(apps, app_label, grants):
    """Create the groups if needed and give each its permissions of `app_label`.
    `apps` is the app registry: the real one, or a migration's historical one."""
    app_config = apps.get_app_config(app_label)
    # Permissions are made after all migrations; a migration that grants them makes them first.
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    else:
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames == "all":
            chosen = permissions
        elif codenames == "view":
            chosen = permissions.filter(codename__startswith="view_")
        else:
            chosen = permissions.filter(codename__in=codenames)
        group.permissions.add(*chosen)


def grant_press_permissions(sender, apps=global_apps, **kwargs):
    grant(apps, "press", PRESS_GRANTS)


def grant_core_permissions(sender, apps=global_apps, **kwargs):
    grant(apps, "core", CORE_GRANTS)
