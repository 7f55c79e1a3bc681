"""Insights: figures of the newsroom's work, rolled up by day (insights/rollups.py) so that a
page sums a few hundred rows, never the raw reads, emails or subscribers.

The admin's pages hang on four models without tables (`Page`): they give the admin index and
sidebar an "Insights" section and carry the one permission, `insights.view_insights`."""

from django.db import models

from contacts.models import Mailing, MediaContact, Outlet
from press.models import Release, Topic


class Page(models.Model):
    """An insights page in the admin: no table, no add/change/delete permission."""

    class Meta:
        abstract = True
        managed = False
        default_permissions = ()

    def __str__(self):
        return str(self._meta.verbose_name)


class Overview(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "overview"
        permissions = [("view_insights", "Can see the insights pages")]


class TopicInsights(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "topics"


class SubscriberInsights(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "subscribers"


class JournalistInsights(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "journalists"


class DayFigures(models.Model):
    """The newsroom's figures of one day (in the site's time zone)."""

    day = models.DateField(unique=True)
    releases = models.PositiveIntegerField(default=0, help_text="Releases published.")
    reads = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0, help_text="Sign-ups (pending or not).")
    confirmed = models.PositiveIntegerField(default=0, help_text="Subscriptions confirmed.")
    unsubscribed = models.PositiveIntegerField(default=0)
    coverage = models.PositiveIntegerField(default=0, help_text="Coverage items published.")

    class Meta:
        ordering = ["day"]
        verbose_name_plural = "day figures"

    def __str__(self):
        return f"Figures of {self.day}"


class TopicDay(models.Model):
    """One topic's reads and releases on a day; `followers` is how many confirmed subscribers
    followed it when that day was last rolled up (None for days rolled up afterwards)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="insight_days")
    day = models.DateField()
    reads = models.PositiveIntegerField(default=0)
    releases = models.PositiveIntegerField(default=0)
    followers = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["day", "topic"]
        constraints = [models.UniqueConstraint(fields=["topic", "day"], name="one_topic_day")]
        indexes = [
            # The topics of a period, summed: read in day order without the table.
            models.Index(
                fields=["day"], include=["topic", "reads", "releases"], name="topic_day_idx"
            ),
        ]

    def __str__(self):
        return f"{self.topic_id} on {self.day}"


class MailingFigures(models.Model):
    """A mailing's funnel: emails sent, delivered, opened (an estimate, as
    Mailing.objects.with_figures() says), clicked, bounced; `day` is when it was sent."""

    mailing = models.OneToOneField(
        Mailing, on_delete=models.CASCADE, primary_key=True, related_name="insight_figures"
    )
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Mailing.Kind.choices)
    sent = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)
    bounced = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "mailing"]
        verbose_name_plural = "mailing figures"
        indexes = [
            # The mailings of a period, and of a release.
            models.Index(fields=["day"], name="mailing_figures_day_idx"),
            models.Index(fields=["release", "day"], name="mailing_figures_release_idx"),
        ]

    def __str__(self):
        return f"Figures of mailing {self.mailing_id}"


class ContactDay(models.Model):
    """What one media contact received and did with the emails of the mailings sent on a day;
    `outlet` is the one they wrote for then."""

    contact = models.ForeignKey(MediaContact, on_delete=models.CASCADE, related_name="+")
    outlet = models.ForeignKey(
        Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "contact"]
        constraints = [models.UniqueConstraint(fields=["contact", "day"], name="one_contact_day")]
        indexes = [
            # The contacts of a period, summed: read in day order without the table.
            models.Index(
                fields=["day"],
                include=["contact", "sent", "opened", "clicked"],
                name="contact_day_idx",
            ),
        ]

    def __str__(self):
        return f"{self.contact_id} on {self.day}"


class RollupRun(models.Model):
    """When the figures were last rolled up: the next run starts from the day before."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    first_day = models.DateField()

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Rollup from {self.first_day} at {self.started_at:%Y-%m-%d %H:%M}"
