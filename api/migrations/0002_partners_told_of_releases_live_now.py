"""The releases live when webhooks arrive count as told: partners hear of what changes from
now on, not of the whole archive as "published" on the first turn of the dispatcher."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def baseline(apps, schema_editor):
    Release = apps.get_model("press", "Release")
    Announced = apps.get_model("api", "Announced")
    now = timezone.now()
    live = Release.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        status="published",
        published_at__lte=now,
    )
    rows = (
        Announced(release_id=pk, live=True, updated_at=updated, corrected_at=corrected, told_at=now)
        for pk, updated, corrected in live.values_list("pk", "updated_at", "corrected_at").iterator()
    )
    Announced.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_keys_and_webhooks"),
        ("press", "0016_release_language_and_translation_key"),
    ]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
