"""Which topics each release has alerted its subscribers of: one row per release and topic,
kept whatever happens to the release's topics later, so that a topic put on a published
release alerts its followers once, and never again if it is taken off and put back. A topic
merged into another takes its rows with it: the release has not yet alerted the followers of
the kept topic (MailingQuerySet.create_alerts)."""

from django.db import models

from press.models import Release, Topic


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
