"""Topics: what releases are about, the releases tagged with each, which topics are live and
popular (by the reads of their live releases), and merging a topic into another (the old
topic's address kept answering with a redirect)."""

import json

import reversion
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.dispatch import Signal
from django.urls import reverse
from reversion.models import Version
from taggit.models import TagBase, TaggedItemBase

from press.models.reads import ReleaseRead
from press.models.releases import Release

# Sent by Topic.merge(), inside its transaction, with `kept` (the topic) and `merged_ids`: for
# apps that name topics in ways press cannot see (ids kept in JSON), to follow the merge.
topics_merged = Signal()


class TopicQuerySet(models.QuerySet):
    def get_by_natural_key(self, name):
        """Backups made with --natural-foreign name topics by name (taggit's natural key)."""
        return self.get(name=name)

    def live(self):
        """Topics with at least one live release, by name: one EXISTS per topic through the
        (topic, release) index, where popular() counts every release of every topic."""
        return self.filter(
            Exists(
                TaggedRelease.objects.filter(
                    tag=OuterRef("pk"), content_object__in=Release.objects.live().values("pk")
                )
            )
        )

    def popular(self, days=30):
        """Topics of live releases, most read in the last `days` first, then those with the
        most live releases. Topics without a live release are left out."""
        live_ids = Release.objects.live().values("pk")
        reads = (
            ReleaseRead.objects.since(days)
            .filter(release__in=live_ids, release__tagged_items__tag=OuterRef("pk"))
            .values("release__tagged_items__tag")
            .annotate(total=Sum("count"))
            .values("total")
        )
        live_count = (
            TaggedRelease.objects.filter(content_object__in=live_ids, tag=OuterRef("pk"))
            .values("tag")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            # Both counts are subqueries: an aggregate over the outer query would put the reads
            # subquery in its GROUP BY and run it once per tagged release.
            self.annotate(
                live_count=Coalesce(Subquery(live_count), 0),
                recent_reads=Coalesce(Subquery(reads), 0),
            )
            .filter(live_count__gt=0)
            .order_by("-recent_reads", "-live_count", "name")
        )

    def popular_list(self, days=30, by_name=False):
        """popular() as a list, worked out in one statement joining two grouped subqueries
        (topics with their live releases counted; reads per topic) instead of two subqueries
        per topic, which at scale would read every tagged release once per topic. Each topic
        has `live_count` and `recent_reads`; in popular() order, or by name with `by_name`.

        The subqueries are the ORM's own, compiled: the live rule and the reads window are
        written once, in live() and since(). The join is written out (the ORM joins no
        subquery), its names read from the models."""
        live_ids = Release.objects.live().values("pk")
        counts = (
            TaggedRelease.objects.filter(content_object__in=live_ids)
            .order_by()
            .values(topic_id=F("tag"))
            .annotate(live_count=Count("pk"))
        )
        reads = (
            ReleaseRead.objects.since(days)
            .filter(release__in=live_ids, release__tagged_items__tag__isnull=False)
            .order_by()
            .values(topic_id=F("release__tagged_items__tag"))
            .annotate(total=Sum("count"))
        )
        counts_sql, counts_params = counts.query.sql_with_params()
        reads_sql, reads_params = reads.query.sql_with_params()
        meta = self.model._meta
        table, pk, name = meta.db_table, meta.pk.column, meta.get_field("name").column
        topics = list(
            self.model.objects.raw(
                f'SELECT "{table}".*, counts.live_count, COALESCE(reads.total, 0) AS recent_reads '
                f'FROM "{table}" JOIN ({counts_sql}) counts ON counts.topic_id = "{table}"."{pk}" '
                f'LEFT JOIN ({reads_sql}) reads ON reads.topic_id = "{table}"."{pk}" '
                f'ORDER BY "{table}"."{name}"',
                (*counts_params, *reads_params),
            )
        )
        if not by_name:
            # Stable: topics as popular as each other stay in name order.
            topics.sort(key=lambda topic: (-topic.recent_reads, -topic.live_count))
        return topics


class Topic(TagBase):
    """A subject releases are filed under and readers follow. Editors pick topics from the
    list; making one is a step of its own (the add_topic permission), and two topics never
    differ only in capitals."""

    description = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("merge_topic", "Can merge topics")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="one_topic_per_name_in_any_case",
                violation_error_message="There is a topic of this name already (capitals "
                "aside): pick it on the release instead.",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A topic made again at an address a merged topic had: the address is its own again.
        TopicRedirect.objects.filter(slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("press:topic-detail", args=[self.slug])

    def merge(self, others):
        """Merge the topics `others` into this one and delete them, in one transaction: their
        releases are filed under this topic, whoever follows them (subscribers, media contacts'
        beats) follows this one, and their addresses redirect here. Rows this topic already
        has are kept once."""
        merged = [topic for topic in others if topic.pk != self.pk]
        if not merged:
            return
        ids = [topic.pk for topic in merged]
        with transaction.atomic():
            # Two merges of the same topics at once take turns.
            list(Topic.objects.select_for_update().filter(pk__in=[self.pk, *ids]).values("pk"))
            move_rows(TaggedRelease, "content_object", "tag", ids, self.pk)
            refile_versions(ids, self)
            for field in followers_fields(Topic):
                through = field.remote_field.through
                owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                move_rows(through, owner, target, ids, self.pk)
            TopicRedirect.objects.filter(topic__in=ids).update(topic=self)
            TopicRedirect.objects.bulk_create(
                [TopicRedirect(slug=topic.slug, topic=self) for topic in merged]
            )
            topics_merged.send(sender=Topic, kept=self, merged_ids=ids)
            # Rows that only made sense for the old topic (an alert sent for it) go with it.
            Topic.objects.filter(pk__in=ids).delete()


def followers_fields(topic_model):
    """The many-to-many fields of other models that name topics: subscribers' topics, media
    contacts' beats (in apps press knows nothing of; the releases' field is taggit's)."""
    return [
        relation.field
        for relation in topic_model._meta.related_objects
        if isinstance(relation.field, models.ManyToManyField)
    ]


def move_rows(model, owner, target, from_ids, to_id):
    """Point the rows of `model` whose `target` is one of `from_ids` at `to_id` instead, one
    row per `owner` (an owner that has `to_id` already keeps its row). Three queries."""
    rows = model.objects.filter(**{f"{target}__in": from_ids})
    has_it = model.objects.filter(**{target: to_id}).values(owner)
    owners = set(rows.exclude(**{f"{owner}__in": has_it}).values_list(owner, flat=True))
    rows.delete()
    model.objects.bulk_create(
        [model(**{f"{owner}_id": pk, f"{target}_id": to_id}) for pk in owners]
    )


def refile_versions(from_ids, topic):
    """The saved versions of releases name their topics by id: those naming a merged topic
    name `topic` instead (once per release and version), so that restoring a version from
    before the merge files the release under the kept topic instead of failing on a topic
    that is gone."""
    tagged = Version.objects.get_for_model(TaggedRelease)
    ids = "|".join(str(pk) for pk in from_ids)
    pattern = rf'"tag": ({ids})[,}}]'
    for version in tagged.filter(serialized_data__regex=pattern):
        [data] = json.loads(version.serialized_data)
        release_id = data["fields"]["content_object"]
        same_revision = tagged.filter(revision_id=version.revision_id).exclude(pk=version.pk)
        others = [
            json.loads(other)[0]["fields"]
            for other in same_revision.values_list("serialized_data", flat=True)
        ]
        if any((o["tag"], o["content_object"]) == (topic.pk, release_id) for o in others):
            version.delete()  # the version holds the kept topic already
            continue
        data["fields"]["tag"] = topic.pk
        version.serialized_data = json.dumps([data])
        version.object_repr = version.object_repr.rsplit(" / ", 1)[0] + f" / {topic}"
        version.save(update_fields=["serialized_data", "object_repr"])


class TopicRedirect(models.Model):
    """The address of a topic merged into another, answered with a 301 to the kept topic."""

    slug = models.SlugField(max_length=100, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="old_addresses")

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return f"{self.slug} -> {self.topic}"


@reversion.register()
class TaggedRelease(TaggedItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_releases")
    content_object = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_release")
        ]
        indexes = [
            # Related Articles and You may also be interested in: the newest releases of a
            # topic, read backwards without touching the table.
            models.Index(fields=["tag", "content_object"], name="tagged_release_newest_idx"),
        ]

    def __str__(self):
        return f"{self.content_object} / {self.tag}"
