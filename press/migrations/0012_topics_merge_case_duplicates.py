"""Topics that differ only in capitals ("Water Resilience", "water resilience") become one, so
that the next migration can refuse them in the database: each group keeps the topic filed on
most releases (the oldest of equals); the others' releases, followers and addresses move to it
(as Topic.merge() does), and they are deleted."""

import json

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def move_rows(model, owner, target, from_ids, to_id):
    rows = model.objects.filter(**{f"{target}__in": from_ids})
    has_it = model.objects.filter(**{target: to_id}).values(owner)
    owners = set(rows.exclude(**{f"{owner}__in": has_it}).values_list(owner, flat=True))
    rows.delete()
    model.objects.bulk_create([model(**{f"{owner}_id": pk, f"{target}_id": to_id}) for pk in owners])


def refile_segment_beats(apps, merged_ids, kept_id):
    """Media segments name beats by id in JSON (contacts, as Topic.merge() has it do)."""
    try:
        Segment = apps.get_model("contacts", "Segment")
    except LookupError:  # contacts not migrated this far yet: no segment to follow
        return
    merged = set(merged_ids)
    for segment in Segment.objects.all():
        changed = False
        for group in segment.rules.get("groups", []):
            for condition in group["conditions"]:
                if condition["field"] == "beat" and merged & set(condition["values"]):
                    values = [kept_id if v in merged else v for v in condition["values"]]
                    condition["values"] = list(dict.fromkeys(values))
                    changed = True
        if changed:
            segment.save(update_fields=["rules"])


def refile_versions(apps, merged_ids, kept):
    """Saved versions of releases name the merged topics by id: the kept one instead, once per
    release and version (as Topic.merge() does), so that old versions can still be restored."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    content_type = ContentType.objects.filter(app_label="press", model="taggedrelease").first()
    if content_type is None:
        return
    tagged = Version.objects.filter(content_type=content_type)
    ids = "|".join(str(pk) for pk in merged_ids)
    for version in tagged.filter(serialized_data__regex=rf'"tag": ({ids})[,}}]'):
        [data] = json.loads(version.serialized_data)
        release_id = data["fields"]["content_object"]
        same_revision = tagged.filter(revision_id=version.revision_id).exclude(pk=version.pk)
        others = [
            json.loads(other)[0]["fields"]
            for other in same_revision.values_list("serialized_data", flat=True)
        ]
        if any((o["tag"], o["content_object"]) == (kept.pk, release_id) for o in others):
            version.delete()
            continue
        data["fields"]["tag"] = kept.pk
        version.serialized_data = json.dumps([data])
        version.object_repr = version.object_repr.rsplit(" / ", 1)[0] + f" / {kept.name}"
        version.save(update_fields=["serialized_data", "object_repr"])


def merge_case_duplicates(apps, schema_editor):
    Topic = apps.get_model("press", "Topic")
    TaggedRelease = apps.get_model("press", "TaggedRelease")
    TopicRedirect = apps.get_model("press", "TopicRedirect")
    duplicated = (
        Topic.objects.values(lowered=Lower("name"))
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("lowered", flat=True)
    )
    for lowered in list(duplicated):
        group = list(
            Topic.objects.annotate(lowered=Lower("name"), releases=Count("tagged_releases"))
            .filter(lowered=lowered)
            .order_by("-releases", "pk")
        )
        kept, merged = group[0], group[1:]
        ids = [topic.pk for topic in merged]
        move_rows(TaggedRelease, "content_object", "tag", ids, kept.pk)
        # Subscribers' topics and media contacts' beats, whatever app holds them.
        for relation in Topic._meta.related_objects:
            field = relation.field
            if isinstance(field, models.ManyToManyField):
                owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                move_rows(field.remote_field.through, owner, target, ids, kept.pk)
        TopicRedirect.objects.bulk_create(
            [TopicRedirect(slug=topic.slug, topic_id=kept.pk) for topic in merged]
        )
        refile_segment_beats(apps, ids, kept.pk)
        refile_versions(apps, ids, kept)
        Topic.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0011_search_vector_kept_in_the_row"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=100, unique=True)),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_addresses",
                        to="press.topic",
                    ),
                ),
            ],
            options={"ordering": ["slug"]},
        ),
        migrations.AlterModelOptions(
            name="topic",
            options={"ordering": ["name"], "permissions": [("merge_topic", "Can merge topics")]},
        ),
        migrations.RunPython(merge_case_duplicates, migrations.RunPython.noop),
    ]
