"""Which topics each translation group (a release and its translations) has alerted its
subscribers of: one row per group and topic, kept whatever happens to the releases' topics
later, so that a topic put on a published release alerts its followers once, and never again if
it is taken off and put back or comes with a translation published later. A topic merged into
another takes its rows with it: the release has not yet alerted the followers of the kept topic
(MailingQuerySet.create_alerts)."""

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
                AlertedTopic(
                    mailing=mailing,
                    release_id=mailing.release_id,
                    translation_key=mailing.translation_key,
                    topic_id=pk,
                )
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
    # The release's translation group: a topic alerts once per group, whichever translation
    # carried it first.
    translation_key = models.UUIDField()

    objects = AlertedTopicQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "topic"], name="one_alert_per_group_topic"
            )
        ]

    def __str__(self):
        return f"{self.release} / {self.topic}"


class AlertingQuerySet(models.QuerySet):
    """Mailings' queryset, the part that makes topic alerts (contacts.models.mailings)."""

    def create_alerts(self, now=None):
        """The topic alert of every translation group (a release and its translations) one of
        whose releases became live in the last ALERT_WINDOW and that has none, made queued,
        once whatever happens to its releases later and whenever each translation is
        published; and, for such a group alerted already, an alert for the topics put on one
        of its releases since, once per topic (even if the topic is taken off and put back).
        Each alert records its topics (AlertedTopic); each subscriber is sent the translation
        in their language (contacts.mailings.translations)."""
        now = now or timezone.now()
        recent = Release.objects.live(now).filter(published_at__gte=now - ALERT_WINDOW)
        alerted = self.model.objects.filter(
            translation_key=OuterRef("translation_key"), kind=self.model.Kind.ALERT
        )
        first = {}
        for release in recent.exclude(Exists(alerted)).order_by("published_at", "pk"):
            first.setdefault(release.translation_key, release)
        tagged = TaggedRelease.objects.filter(
            content_object__in=Release.objects.live(now).filter(translation_key__in=list(first))
        ).values_list("content_object__translation_key", "tag")
        topics = {}
        for key, topic_id in tagged.order_by("tag"):
            topics.setdefault(key, set()).add(topic_id)
        created = []
        for key, release in first.items():
            created += self._create_alert(release, sorted(topics.get(key, ())))
        added = (
            TaggedRelease.objects.filter(content_object__in=recent.filter(Exists(alerted)))
            .exclude(
                Exists(
                    AlertedTopic.objects.filter(
                        translation_key=OuterRef("content_object__translation_key"),
                        topic=OuterRef("tag"),
                    )
                )
            )
            .select_related("content_object")
            .order_by("content_object__published_at", "content_object", "tag")
        )
        groups = {}
        for item in added:
            release, topic_ids = groups.setdefault(
                item.content_object.translation_key, (item.content_object, set())
            )
            topic_ids.add(item.tag_id)
        for release, topic_ids in groups.values():
            created += self._create_alert(release, sorted(topic_ids), for_added_topics=True)
        return created

    def _create_alert(self, release, topic_ids, for_added_topics=False):
        """A queued alert of `release`'s group for `topic_ids`, in a list; an empty list when
        another dispatcher made it first."""
        try:
            with transaction.atomic():
                mailing = self.create(
                    kind=self.model.Kind.ALERT,
                    for_added_topics=for_added_topics,
                    subject=release.title[:200],
                    status=self.model.Status.QUEUED,
                    release=release,
                    translation_key=release.translation_key,
                )
                AlertedTopic.objects.record(mailing, topic_ids)
        except IntegrityError:
            return []
        return [mailing]
