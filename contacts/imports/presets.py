"""Mappings shipped for the exports press offices most often bring: Cision, Muck Rack, Mailchimp
and a German press list. Each is installed after every `migrate` (and every test flush), as an
ImportMapping row staff may edit in the admin; a preset nobody edited follows this file, so a
heading added here reaches every database with the next deploy. A preset deleted in the admin
comes back then: edit it instead.

The headings are those these exports are commonly known to write; an export whose headings
differ is still mapped by the synonyms of contacts/imports/columns.py, and its mapping can be
remembered under a name of its own. A heading mapped to "" is read past on purpose; it also
tells the source's files from others. Headings of fields the newsroom lacks are left out, so
that a field added later is suggested for them by its synonyms.
"""

from django.apps import apps as global_apps
from django.db import models

PRESETS = {
    "cision": (
        "Cision",
        "contacts",
        {
            "First Name": "first_name",
            "Last Name": "last_name",
            "Email": "email",
            "Job Title": "job_title",
            "Outlet Name": "outlet",
            "Phone": "phone",
            "Country": "country",
            "Subjects": "beats",
            "Language": "languages",
            "Media Type": "",
            "Twitter": "",
            "Address": "",
            "Postal Code": "",
            "Notes": "notes",
        },
    ),
    "muck-rack": (
        "Muck Rack",
        "contacts",
        {
            "Name": "full_name",
            "Email": "email",
            "Title": "job_title",
            "Outlet": "outlet",
            "Phone": "phone",
            "Beats": "beats",
            "Location": "regions",
            "Twitter Handle": "",
            "Muck Rack Profile": "",
            "LinkedIn": "",
            "Notes": "notes",
        },
    ),
    "mailchimp": (
        "Mailchimp audience",
        "contacts",
        {
            "Email Address": "email",
            "First Name": "first_name",
            "Last Name": "last_name",
            "Phone Number": "phone",
            "Address": "",
            "Birthday": "",
            "MEMBER_RATING": "",
            "OPTIN_TIME": "",
            "OPTIN_IP": "",
            "CONFIRM_TIME": "",
            "CONFIRM_IP": "",
            "LATITUDE": "",
            "LONGITUDE": "",
            "GMTOFF": "",
            "DSTOFF": "",
            "TIMEZONE": "",
            "CC": "",
            "REGION": "",
            "LAST_CHANGED": "",
            "LEID": "",
            "EUID": "",
            "NOTES": "notes",
            "TAGS": "",
        },
    ),
    # The "Unsubscribed" file of a Mailchimp audience export: opt-outs never to be mailed.
    "mailchimp-unsubscribed": (
        "Mailchimp unsubscribed (suppression list)",
        "suppressions",
        {
            "Email Address": "email",
            "First Name": "",
            "Last Name": "",
            "UNSUB_TIME": "",
            "UNSUB_CAMPAIGN_TITLE": "",
            "UNSUB_CAMPAIGN_ID": "",
            "UNSUB_REASON": "",
            "UNSUB_REASON_OTHER": "",
        },
    ),
    "german": (
        "German press list",
        "contacts",
        {
            "Anrede": "",
            "Titel": "",
            "Vorname": "first_name",
            "Nachname": "last_name",
            "E-Mail": "email",
            "Telefon": "phone",
            "Mobil": "",
            "Medium": "outlet",
            "Ressort": "beats",
            "Position": "job_title",
            "Straße": "",
            "PLZ": "",
            "Ort": "regions",
            "Sprache": "languages",
            "Bemerkung": "notes",
        },
    ),
}


def install(sender=None, apps=global_apps, **kwargs):
    """Make each preset missing, and bring those nobody edited up to date (a post_migrate
    receiver; `apps` is the migrated state's registry)."""
    try:
        ImportMapping = apps.get_model("contacts", "ImportMapping")
    except LookupError:  # migrated back to before mappings were remembered
        return
    for key, (name, kind, columns) in PRESETS.items():
        mapping = ImportMapping.objects.filter(preset=key).first()
        if mapping is None:
            if ImportMapping.objects.filter(name=name).exists():
                continue  # staff gave a mapping of their own this name
            ImportMapping.objects.create(preset=key, name=name, kind=kind, columns=columns)
        elif not mapping.edited and (mapping.name, mapping.kind, mapping.columns) != (
            name,
            kind,
            columns,
        ):
            mapping.name, mapping.kind, mapping.columns = name, kind, columns
            mapping.save()


def give_way_to_loaded(sender, instance, raw=False, **kwargs):
    """loaddata (a pre_save receiver, raw) brings back a dump's mappings into a database whose
    migrate or flush has just made the presets again: the dump's copy, edits and all, replaces
    the fresh preset of the same name or key instead of colliding with it."""
    if not raw:
        return
    same = models.Q(name=instance.name)
    if instance.preset:
        same |= models.Q(preset=instance.preset)
    sender.objects.filter(same).exclude(pk=instance.pk).delete()
