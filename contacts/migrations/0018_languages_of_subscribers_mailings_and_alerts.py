import contacts.models.codes
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_translation_keys(apps, schema_editor):
    """Alerts made so far, and their topics, belong to their release's group (one release
    each until now)."""
    Release = apps.get_model("press", "Release")
    key = Subquery(Release.objects.filter(pk=OuterRef("release")).values("translation_key"))
    apps.get_model("contacts", "AlertedTopic").objects.update(translation_key=key)
    apps.get_model("contacts", "Mailing").objects.filter(kind="alert").update(translation_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0017_merge_topic_alerts"),
        ("press", "0016_release_language_and_translation_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="alertedtopic",
            name="one_alert_per_release_topic",
        ),
        migrations.RemoveConstraint(
            model_name="mailing",
            name="one_alert_per_release",
        ),
        migrations.AddField(
            model_name="alertedtopic",
            name="translation_key",
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="release",
            field=models.ForeignKey(
                blank=True,
                help_text="The translation sent, recorded before the email goes out, when it is not the mailing's release.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translated_deliveries",
                to="press.release",
                verbose_name="translation sent",
            ),
        ),
        migrations.AddField(
            model_name="mailing",
            name="in_their_language",
            field=models.BooleanField(
                default=False,
                help_text="Those whose language has a translation of the release get it instead, with its title as the subject; the others get the release chosen above.",
                verbose_name="send each journalist the translation in their language",
            ),
        ),
        migrations.AddField(
            model_name="mailing",
            name="language",
            field=contacts.models.codes.LanguageField(
                blank=True,
                help_text="Only those whose language is this one (Spanish takes es-MX too); leave empty for everyone chosen.",
                max_length=12,
                verbose_name="only journalists of",
            ),
        ),
        migrations.AddField(
            model_name="mailing",
            name="translation_key",
            field=models.UUIDField(
                blank=True,
                editable=False,
                help_text="An alert's translation group: it alerts of the group, once, each subscriber getting the translation in their language.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="subscriber",
            name="language",
            field=models.CharField(
                choices=contacts.models.codes.newsroom_languages,
                default="en",
                help_text="The language of our emails to them: a release's translation in it, when there is one.",
                max_length=12,
            ),
        ),
        migrations.RunPython(copy_translation_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="alertedtopic",
            name="translation_key",
            field=models.UUIDField(),
        ),
        migrations.AddConstraint(
            model_name="alertedtopic",
            constraint=models.UniqueConstraint(
                fields=("translation_key", "topic"), name="one_alert_per_group_topic"
            ),
        ),
        migrations.AddConstraint(
            model_name="mailing",
            constraint=models.UniqueConstraint(
                condition=models.Q(("for_added_topics", False), ("kind", "alert")),
                fields=("translation_key",),
                name="one_alert_per_translation_group",
            ),
        ),
    ]
