"""Which topics each release has alerted its subscribers of: one row per release and topic,
kept whatever happens to the release's topics later, so that a topic put on a published
release alerts its followers once, and never again if it is taken off and put back. A topic
merged into another takes its rows with it: the release has not yet alerted the followers of
the kept topic (MailingQuerySet.create_alerts)."""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from press.models import Release, TaggedRelease, Topic

# Releases that became live longer ago get no alert: after a long outage, or on the first run
# over an archive, nobody wants last year's news.
ALERT_WINDOW = datetime.timedelta(days=2)


class AlertedTopicQuerySet(models.QuerySet):
    def record(self, mailing, topic_ids):
        """The topics `mailing` (an alert) tells its release's subscribers of. Raises
        IntegrityError when one of them was alerted already (another dispatcher was first)."""
        return self.bulk_create(
            [
                AlertedTopic(mailing=mailing, release_id=mailing.release_id, topic_id=pk)
                for pk in topic_ids
            ]
        )


class AlertedTopic(models.Model):
    """A topic of a release its subscribers were alerted of, by which alert."""

    mailing = models.ForeignKey(
        "contacts.Mailing", on_delete=models.CASCADE, related_name="alerted_topics"
    )
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="alerted_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="alerted_releases")

    objects = AlertedTopicQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "topic"], name="one_alert_per_release_topic")
        ]

    def __str__(self):
        return f"{self.release} / {self.topic}"


class AlertingQuerySet(models.QuerySet):
    """Mailings' queryset, the part that makes topic alerts (contacts.models.mailings)."""

    def create_alerts(self, now=None):
        """The topic alert of every release that became live in the last ALERT_WINDOW and has
        none, made queued, once whatever happens to the release later; and, for such a release
        alerted already, an alert for the topics put on it since, once per topic (even if the
        topic is taken off and put back). Each alert records its topics (AlertedTopic)."""
        now = now or timezone.now()
        recent = Release.objects.live(now).filter(published_at__gte=now - ALERT_WINDOW)
        alerted = self.model.objects.filter(release=OuterRef("pk"), kind=self.model.Kind.ALERT)
        created = []
        for release in recent.exclude(Exists(alerted)).prefetch_related("tagged_items"):
            topic_ids = [item.tag_id for item in release.tagged_items.all()]
            created += self._create_alert(release.pk, release.title, topic_ids)
        added = (
            TaggedRelease.objects.filter(content_object__in=recent.filter(Exists(alerted)))
            .exclude(
                Exists(
                    AlertedTopic.objects.filter(
                        release=OuterRef("content_object"), topic=OuterRef("tag")
                    )
                )
            )
            .values_list("content_object", "content_object__title", "tag")
            .order_by("content_object", "tag")
        )
        topics = {}
        for release_id, title, topic_id in added:
            topics.setdefault((release_id, title), []).append(topic_id)
        for (release_id, title), topic_ids in topics.items():
            created += self._create_alert(release_id, title, topic_ids, for_added_topics=True)
        return created

    def _create_alert(self, release_id, title, topic_ids, for_added_topics=False):
        """A queued alert of release `release_id` for `topic_ids`, in a list; an empty list
        when another dispatcher made it first."""
        try:
            with transaction.atomic():
                mailing = self.create(
                    kind=self.model.Kind.ALERT,
                    for_added_topics=for_added_topics,
                    subject=title[:200],
                    status=self.model.Status.QUEUED,
                    release_id=release_id,
                )
                AlertedTopic.objects.record(mailing, topic_ids)
        except IntegrityError:
            return []
        return [mailing]
