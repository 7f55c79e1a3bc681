from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from press.models import Topic


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def following(self, release):
        """Confirmed subscribers who want this release: everything, or one of its topics."""
        topics = release.topics.values("pk")
        return (
            self.confirmed()
            .filter(models.Q(all_topics=True) | models.Q(topics__in=topics))
            .distinct()
        )

    def sign_up(self, email, source="", topics=(), all_topics=True, consent_text=""):
        """Record a sign-up as pending; a known address keeps its state, except that someone
        who had unsubscribed and signs up again is pending once more."""
        subscriber = self.filter(email__iexact=email).first()
        if subscriber is None:
            subscriber = self.create(
                email=email,
                source=source,
                all_topics=all_topics or not topics,
                consent_text=consent_text,
            )
            subscriber.topics.set(topics)
            return subscriber
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.consented_at = timezone.now()
            subscriber.source = source
            subscriber.consent_text = consent_text
            subscriber.save(update_fields=["status", "consented_at", "source", "consent_text"])
        return subscriber


class Subscriber(models.Model):
    """A member of the public who asked for our releases by email."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        PAUSED = "paused", "Paused"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    all_topics = models.BooleanField(default=True, help_text="Everything we publish.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers")
    consented_at = models.DateTimeField(default=timezone.now)
    consent_text = models.CharField(
        max_length=40, blank=True, help_text="The version of the consent wording agreed to."
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="The page the sign-up came from."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_subscriber_per_email"),
        ]

    def __str__(self):
        return self.email
