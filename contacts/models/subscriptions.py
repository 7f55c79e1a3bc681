"""Subscribers: members of the public who asked for our releases by email, and the life of a
subscription (double opt-in, confirm, pause, resume, unsubscribe). Nothing but the confirmation
email is ever sent to a pending subscriber: alerts go to `Subscriber.objects.confirmed()` only.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models.codes import newsroom_languages
from press.models import Topic


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def following(self, releases):
        """Confirmed subscribers who want these releases (a queryset: a release and its
        translations): everything, or one of their topics."""
        topics = Topic.objects.filter(tagged_releases__content_object__in=releases).values("pk")
        return (
            self.confirmed()
            .filter(models.Q(all_topics=True) | models.Q(topics__in=topics))
            .distinct()
        )

    def sign_up(self, email, topics=(), source="", consent_text="", language=""):
        """Record a sign-up and return the subscriber. A new address, one still pending and one
        that had unsubscribed are pending with what was asked for this time, topics and
        language (what they confirm is what they asked for last); a confirmed or paused
        subscriber is left as they are, and changes their topics from the link in our emails.

        Call it in a transaction: the row is locked, so two sign-ups of one address take turns.
        Two at once for a new address make one row: get_or_create catches the second one's
        IntegrityError and reads the first one's row."""
        choices = {
            "all_topics": not topics,
            "source": source,
            "consent_text": consent_text,
            "consented_at": timezone.now(),
            "language": language or settings.LANGUAGE_CODE,
        }
        subscriber, created = self.select_for_update().get_or_create(
            email__iexact=email, defaults={"email": email, **choices}
        )
        if not created:
            if subscriber.status in (Subscriber.Status.CONFIRMED, Subscriber.Status.PAUSED):
                return subscriber
            subscriber.status = Subscriber.Status.PENDING
            for name, value in choices.items():
                setattr(subscriber, name, value)
            subscriber.save(update_fields=["status", *choices])
        subscriber.topics.set(topics)
        return subscriber


class Subscriber(models.Model):
    """A member of the public who asked for our releases by email."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        PAUSED = "paused", _("Paused")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    all_topics = models.BooleanField(default=True, help_text="Everything we publish.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers")
    language = models.CharField(
        max_length=12,
        choices=newsroom_languages,
        default=settings.LANGUAGE_CODE,
        help_text="The language of our emails to them: a release's translation in it, when "
        "there is one.",
    )
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

    def confirm(self):
        """Confirm a pending subscriber; True when this confirmed them."""
        if self.status != self.Status.PENDING:
            return False
        self.status = self.Status.CONFIRMED
        self.confirmed_at = timezone.now()
        self.save(update_fields=["status", "confirmed_at"])
        return True

    def choose_topics(self, topics):
        """Follow these topics, or everything when there are none."""
        self.all_topics = not topics
        self.save(update_fields=["all_topics"])
        self.topics.set(topics)

    def choose_language(self, language):
        self.language = language
        self.save(update_fields=["language"])

    def pause(self):
        """Stop emails for now, keeping the topics: only a confirmed subscription pauses."""
        return self._move(self.Status.CONFIRMED, self.Status.PAUSED)

    def resume(self):
        return self._move(self.Status.PAUSED, self.Status.CONFIRMED)

    def _move(self, before, after):
        if self.status != before:
            return False
        self.status = after
        self.save(update_fields=["status"])
        return True

    def unsubscribe(self):
        """End the subscription; signing up again starts a new double opt-in. Idempotent: the
        first unsubscribe time is kept."""
        if self.status == self.Status.UNSUBSCRIBED:
            return False
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = timezone.now()
        self.save(update_fields=["status", "unsubscribed_at"])
        return True
