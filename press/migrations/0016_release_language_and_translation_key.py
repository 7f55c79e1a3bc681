import uuid

from django.db import migrations, models

import press.models.languages


def give_each_release_its_own_group(apps, schema_editor):
    """Existing releases translate nothing yet: one group each (a column default would put
    them all in one)."""
    Release = apps.get_model("press", "Release")
    for pk in Release.objects.values_list("pk", flat=True).iterator():
        Release.objects.filter(pk=pk).update(translation_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0015_release_body_quote_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the release is written in.",
                max_length=35,
                validators=[press.models.languages.validate_language],
            ),
        ),
        migrations.AddField(
            model_name="release",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_release_its_own_group, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="release",
            name="translation_key",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text="Shared by the releases that translate each other.",
            ),
        ),
    ]
