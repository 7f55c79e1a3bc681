"""The size of each downloadable image, kept on its row (see press.images.stored_bytes): read
once from the storage for the images uploaded before."""

from django.db import migrations, models


def measure(apps, schema_editor):
    Release = apps.get_model("press", "Release")
    ReleaseImage = apps.get_model("press", "ReleaseImage")
    for model, field, size_field in (
        (Release, "featured_image", "featured_image_bytes"),
        (ReleaseImage, "image", "bytes"),
    ):
        for row in model.objects.exclude(**{field: ""}).only("pk", field).iterator():
            try:
                size = getattr(row, field).size
            except OSError:
                continue  # the file is gone: no size is shown
            model.objects.filter(pk=row.pk).update(**{size_field: size})


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0016_release_language_and_translation_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="featured_image_bytes",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="releaseimage",
            name="bytes",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(measure, migrations.RunPython.noop),
    ]
