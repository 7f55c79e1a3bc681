from django.db import migrations, models
from django.db.models import F


def copy_into_english(apps, schema_editor):
    """What was typed so far is the English."""
    apps.get_model("contacts", "PressOffice").objects.update(name_en=F("name"))
    apps.get_model("contacts", "PressContact").objects.update(title_en=F("title"))


def copy_back(apps, schema_editor):
    PressOffice = apps.get_model("contacts", "PressOffice")
    PressOffice.objects.exclude(name_en=None).update(name=F("name_en"))
    PressContact = apps.get_model("contacts", "PressContact")
    PressContact.objects.exclude(title_en=None).update(title=F("title_en"))


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0018_languages_of_subscribers_mailings_and_alerts'),
    ]

    operations = [
        migrations.AddField(
            model_name='presscontact',
            name='title_ar',
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='presscontact',
            name='title_en',
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='presscontact',
            name='title_es',
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='presscontact',
            name='title_fr',
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='presscontact',
            name='title_ko',
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='presscontact',
            name='title_pt_br',
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='pressoffice',
            name='name_ar',
            field=models.CharField(help_text='The city or region: "New York City".', max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='pressoffice',
            name='name_en',
            field=models.CharField(help_text='The city or region: "New York City".', max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='pressoffice',
            name='name_es',
            field=models.CharField(help_text='The city or region: "New York City".', max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='pressoffice',
            name='name_fr',
            field=models.CharField(help_text='The city or region: "New York City".', max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='pressoffice',
            name='name_ko',
            field=models.CharField(help_text='The city or region: "New York City".', max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='pressoffice',
            name='name_pt_br',
            field=models.CharField(help_text='The city or region: "New York City".', max_length=100, null=True),
        ),
        migrations.RunPython(copy_into_english, copy_back),
    ]
