"""Mailings: a release sent to people, one Delivery per address; and the embargo links of sends
to media, with who opened them and which were taken back.

A mailing's status changes only here: a press officer's draft is queued (`queue`), a queued
mailing becomes its deliveries and is sending (`start`), failed emails are queued again
(`retry_failed`), and a mailing with nothing left to send is done (`finish`); topic alerts are
made queued (`MailingQuerySet.create_alerts`). How the deliveries are claimed and sent, exactly
once, is contacts/mailings/sending.py. Mailing, Delivery and the embargo rows name each other,
so they share this module, longer than most; alerts are made in contacts/models/alerts.py."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from contacts.models.alerts import AlertingQuerySet
from contacts.models.bulk import any_of
from contacts.models.codes import LanguageField
from contacts.models.media import MediaContact, MediaList, Membership, normalize_email
from contacts.models.segments import Segment, rules_q
from contacts.models.subscriptions import Subscriber
from contacts.models.suppressions import Suppression
from press.models import Release


class MailingQuerySet(AlertingQuerySet):
    def with_figures(self):
        """Each mailing with what happened after it was sent, in one query: `sent` (emails
        that left), `delivered`, `bounced` (hard bounces) and `complained` (as the provider
        reported them), `opened` (an estimate: a pixel or provider open, a click, or an embargo
        link opened; mail apps that block images hide opens, some that preload them invent
        them), `clicked` (recipients) and `clicks` (in all), `unsubscribed`, and the embargo
        link's `embargo_readers` (recipients) and `embargo_opens` (in all). Counts of
        recipients count each once, however often they opened or clicked. (The event kinds are
        DeliveryEvent.Kind's values, contacts/models/events.py.)"""
        return self.annotate(
            sent=_recipients(status=Delivery.Status.SENT),
            delivered=_recipients(events__kind="delivered"),
            bounced=_recipients(events__kind="bounced"),
            complained=_recipients(events__kind="complained"),
            opened=_recipients(Q(events__kind__in=["opened", "clicked"]) | Q(opens__isnull=False)),
            clicked=_recipients(events__kind="clicked"),
            clicks=_recipients(events__kind="clicked", count="events"),
            unsubscribed=_recipients(events__kind="unsubscribed"),
            embargo_readers=_recipients(opens__isnull=False),
            embargo_opens=_recipients(opens__isnull=False, count="opens"),
        )


def _recipients(*conditions, count=None, **lookups):
    """How many of a mailing's deliveries meet the conditions (or, with `count`, how many of
    their related rows, events or opens, do), as a subquery of the mailing."""
    rows = Delivery.objects.filter(*conditions, mailing=OuterRef("pk"), **lookups).order_by()
    counted = Count(count) if count else Count("pk", distinct=True)
    return Coalesce(Subquery(rows.values("mailing").annotate(n=counted).values("n")), 0)


class Mailing(models.Model):
    """One release sent to people: a topic alert to subscribers, or a send to media lists."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Topic alert to subscribers"
        DISTRIBUTION = "distribution", "Send to media"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="mailings")
    subject = models.CharField(max_length=200, blank=True)
    personal_note = models.TextField(blank=True)
    media_lists = models.ManyToManyField(MediaList, blank=True, related_name="mailings")
    segments = models.ManyToManyField(
        Segment,
        blank=True,
        related_name="mailings",
        help_text="Their members are worked out when the send starts.",
    )
    contacts = models.ManyToManyField(MediaContact, blank=True, related_name="mailings")
    include_earlier_recipients = models.BooleanField(
        default=False,
        help_text="Send it also to those who received this release from an earlier mailing "
        "(left out otherwise).",
    )
    language = LanguageField(
        "only journalists of",
        blank=True,
        help_text="Only those whose language is this one (Spanish takes es-MX too); leave "
        "empty for everyone chosen.",
    )
    in_their_language = models.BooleanField(
        "send each journalist the translation in their language",
        default=False,
        help_text="Those whose language has a translation of the release get it instead, "
        "with its title as the subject; the others get the release chosen above.",
    )
    send_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty to send at once.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    for_added_topics = models.BooleanField(
        default=False,
        editable=False,
        help_text="An alert for topics put on the release after its first alert: it goes to "
        "their followers who were not sent the release already.",
    )
    translation_key = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="An alert's translation group: it alerts of the group, once, each subscriber "
        "getting the translation in their language.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MailingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A release and its translations alert their subscribers once, however often
            # they are republished and whenever each is published (topics put on them later
            # alert their followers once each: AlertedTopic).
            models.UniqueConstraint(
                fields=["translation_key"],
                condition=Q(kind="alert", for_added_topics=False),
                name="one_alert_per_translation_group",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.release}"

    @property
    def is_draft(self):
        """A send to media still being written: it may be edited, and sent by `queue()`."""
        return self.status == self.Status.DRAFT and self.kind == self.Kind.DISTRIBUTION

    def queue(self, include_earlier_recipients=False):
        """Draft → queued: to be sent now (the caller enqueues its task, `enqueue_send`) or at
        `send_at` (the dispatcher starts it then), to those who received the release from an
        earlier mailing too only if `include_earlier_recipients`. Raises ValueError, with a
        message for editors, when it was sent already or its release may not be sent. One
        conditional UPDATE, so a second click queues nothing."""
        if not self.is_draft:
            raise ValueError("This mailing has been sent already.")
        if not self.release_allows():
            raise ValueError("The release is not published or has expired.")
        queued = Mailing.objects.filter(pk=self.pk, status=self.Status.DRAFT).update(
            status=self.Status.QUEUED, include_earlier_recipients=include_earlier_recipients
        )
        if not queued:
            raise ValueError("This mailing has been sent already.")
        self.status = self.Status.QUEUED
        self.include_earlier_recipients = include_earlier_recipients

    def start(self):
        """A queued mailing becomes its deliveries and is marked sending (once, however often).
        An alert for added topics waits until the release's earlier alerts have theirs, so that
        nobody they reach is written to twice."""
        if self.status != self.Status.QUEUED or not self.may_send() or self.waits_for_earlier():
            return
        self.build_deliveries()
        Mailing.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(
            status=self.Status.SENDING
        )
        self.status = self.Status.SENDING

    def retry_failed(self, among=None):
        """Queue the failed rows again, as new (only those of `among`, a Delivery queryset, when
        given), and mark the mailing sending; returns how many."""
        failed = self.deliveries.filter(status=Delivery.Status.FAILED)
        if among is not None:
            failed = failed.filter(pk__in=among.values("pk"))
        count = failed.update(
            status=Delivery.Status.QUEUED, attempts=0, error="", claimed_by="", claimed_at=None
        )
        if count:
            Mailing.objects.filter(pk=self.pk).update(status=self.Status.SENDING)
            self.status = self.Status.SENDING
        return count

    def finish(self):
        """Sending → done, once no row is queued or being sent."""
        unsent = self.deliveries.filter(
            status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
        )
        if unsent.exists():
            return
        if Mailing.objects.filter(pk=self.pk, status=self.Status.SENDING).update(
            status=self.Status.DONE
        ):
            self.status = self.Status.DONE

    def waits_for_earlier(self):
        earlier = Mailing.objects.filter(
            translation_key=self.translation_key,
            kind=self.Kind.ALERT,
            status=self.Status.QUEUED,
            pk__lt=self.pk,
        )
        return self.for_added_topics and earlier.exists()

    def followers(self):
        """Who an alert goes to. The group's first alert: the confirmed subscribers who follow
        everything or one of the topics of its live releases. An alert for topics added later:
        the confirmed followers of those topics, less those who follow everything (they had
        the release) and those sent an earlier alert of the group."""
        if not self.for_added_topics:
            group = Release.objects.live().filter(translation_key=self.release.translation_key)
            return Subscriber.objects.following(group)
        sent_earlier = Delivery.objects.filter(
            mailing__translation_key=self.translation_key,
            mailing__kind=self.Kind.ALERT,
            subscriber=OuterRef("pk"),
        ).exclude(mailing=self)
        return (
            Subscriber.objects.confirmed()
            .filter(all_topics=False, topics__in=self.alerted_topics.values("topic"))
            .exclude(Exists(sent_earlier))
            .distinct()
        )

    def is_due(self, now=None):
        """Whether its time has come: sent at once, or its `send_at` has passed."""
        return self.send_at is None or self.send_at <= (now or timezone.now())

    def may_send(self, now=None):
        """Whether its emails may go out: it was queued, and its release allows it."""
        if self.status in (self.Status.DRAFT, self.Status.CANCELLED):
            return False
        return self.release_allows(now)

    def release_allows(self, now=None):
        """An alert goes out only while its release is live; a send to media while its release
        may be distributed (live, or scheduled: then it is embargoed)."""
        releases = Release.objects.filter(pk=self.release_id)
        if self.kind == self.Kind.ALERT:
            return releases.live(now).exists()
        return releases.distributable(now).exists()

    def chosen_contacts(self):
        """The media contacts of a send to media: the current members of its lists, those its
        segments match now, and the contacts chosen one by one, reachable or not; only those of
        its `language` when it has one. One query, however many lists and segments (reads the
        segments' rules first: one query)."""
        members = Membership.objects.filter(
            media_list__in=self.media_lists.all(), left_at__isnull=True
        ).values("contact")
        chosen = Q(pk__in=members) | Q(pk__in=self.contacts.values("pk"))
        for rules in self.segments.values_list("rules", flat=True):
            chosen |= rules_q(rules)
        contacts = MediaContact.objects.filter(chosen)
        if self.language:
            primary = self.language.split("-")[0]
            contacts = contacts.filter(Q(language=primary) | Q(language__startswith=f"{primary}-"))
        return contacts

    def earlier_deliveries(self):
        """The rows of the other mailings of this release that reached their address: sent,
        or being sent now."""
        return Delivery.objects.filter(
            mailing__release_id=self.release_id, status__in=Delivery.REACHING
        ).exclude(mailing_id=self.pk)

    def repeat_recipients(self):
        """The contacts this send to media would write to who have had the release already,
        from another mailing (or are being sent it now): what the admin warns about."""
        earlier = self.earlier_deliveries().values("email")
        return self.chosen_contacts().reachable().filter(email__in=earlier)

    def build_deliveries(self):
        """One queued row per recipient, and a skipped row (with the reason) for each chosen
        media contact marked do-not-contact, each address on the suppression list and, unless
        `include_earlier_recipients`, each address another mailing of the release reached.
        Safe to run again: existing pairs are left as they are."""
        if self.kind == self.Kind.ALERT:
            followers = self.followers().values_list("pk", "email")
            rows = [
                Delivery(subscriber_id=pk, email=normalize_email(email)) for pk, email in followers
            ]
        else:
            chosen = self.chosen_contacts()
            rows = [
                Delivery(contact_id=pk, email=email)
                for pk, email in chosen.reachable().values_list("pk", "email")
            ]
            refused = chosen.filter(do_not_contact=True, erased_at__isnull=True)
            rows += [
                Delivery(
                    contact_id=pk,
                    email=email,
                    status=Delivery.Status.SKIPPED,
                    error=f"Do not contact: {reason}" if reason else "Do not contact",
                )
                for pk, email, reason in refused.values_list("pk", "email", "do_not_contact_reason")
            ]
        queued = [row.email for row in rows if row.status == Delivery.Status.QUEUED]
        suppressed = Suppression.objects.among(queued)
        earlier = {}
        if self.kind == self.Kind.DISTRIBUTION and not self.include_earlier_recipients:
            earlier = self.earlier_deliveries().among(queued)
        for row in rows:
            row.mailing = self
            if row.status != Delivery.Status.QUEUED:
                continue
            if row.email in suppressed:
                row.status, row.error = Delivery.Status.SKIPPED, suppressed[row.email].explanation
            elif row.email in earlier:
                row.status, row.error = Delivery.Status.SKIPPED, earlier[row.email].repeat_reason
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)

    def sample_delivery(self):
        """What the preview shows: an unsaved row for a real recipient if there is one, else for
        a made-up one."""
        if self.kind == self.Kind.ALERT:
            subscriber = self.followers().first()
            subscriber = subscriber or Subscriber(pk=0, email="reader@example.org")
            return Delivery(mailing=self, email=subscriber.email, subscriber=subscriber)
        contact = self.chosen_contacts().reachable().first() or MediaContact(
            first_name="Ada", last_name="Example", email="ada@example.org"
        )
        return Delivery(mailing=self, email=contact.email, contact=contact)


class DeliveryQuerySet(models.QuerySet):
    def among(self, emails):
        """{email: the first of these rows to it} for those of `emails` they hold, in one
        query (the emails as stored: lower case)."""
        rows = self.filter(email__in=any_of(set(emails), "text")).order_by("-pk")
        return {row.email: row for row in rows.only("pk", "email", "mailing", "status")}

    def with_outcomes(self):
        """Each email with what its recipient did with it, as counts, in the same query:
        `delivered`, `bounced`, `opened` (an estimate, as in Mailing.objects.with_figures(): a
        pixel or provider open, a click, or an embargo link opened), `clicks`, `opted_out`."""

        def events(*kinds):
            return Count("events", filter=Q(events__kind__in=kinds), distinct=True)

        return self.annotate(
            delivered=events("delivered"),
            bounced=events("bounced", "complained"),
            opened=events("opened", "clicked") + Count("opens", distinct=True),
            clicks=events("clicked"),
            opted_out=events("unsubscribed"),
        )

    def revoke_embargo_links(self, user):
        """Take back the embargo links of these rows (sends to media, not taken back yet);
        returns how many."""
        rows = self.filter(mailing__kind=Mailing.Kind.DISTRIBUTION, embargo_revocation=None)
        revoked = EmbargoRevocation.objects.bulk_create(
            [EmbargoRevocation(delivery=row, revoked_by=user) for row in rows]
        )
        return len(revoked)


class Delivery(models.Model):
    """One email of a mailing to one address. The unique (mailing, email) pair and the claim
    taken before the SMTP call are what make every email go out exactly once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    # Rows whose email has reached its address, or is on its way.
    REACHING = (Status.SENT, Status.SENDING)

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    release = models.ForeignKey(
        Release,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translated_deliveries",
        verbose_name="translation sent",
        help_text="The translation sent, recorded before the email goes out, when it is not "
        "the mailing's release.",
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    contact = models.ForeignKey(
        MediaContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(max_length=100, blank=True)
    # While `sending`: when the claim was taken or last renewed (a live worker renews it every
    # few seconds). Once queued again after a failed attempt: when that attempt was.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the worker began handing this email to the mail server, recorded before the SMTP
    # transaction; empty while the row is claimed but not yet tried.
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(
        max_length=255,
        blank=True,
        help_text="The email's Message-ID (or the id its provider gave it), recorded when it "
        "is sent: the provider's reports of bounces and complaints name it.",
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["mailing", "email"], name="one_email_per_mailing")
        ]
        indexes = [
            # Workers claim queued deliveries of a mailing in order.
            models.Index(fields=["mailing", "status", "id"], name="delivery_queue_idx"),
            # The dispatcher looks for claims a dead worker stopped renewing.
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="delivery_claims_idx"
            ),
            # An address's history across mailings: its soft bounces, its erasure.
            models.Index(fields=["email"], name="delivery_email_idx"),
            # A provider's webhook finds the email it reports on.
            models.Index(
                fields=["message_id"], condition=~Q(message_id=""), name="delivery_message_idx"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"

    @property
    def repeat_reason(self):
        """Why another row of the same release to this address is skipped."""
        return f"Already received this release (mailing {self.mailing_id})"

    @property
    def sent_release(self):
        """The release this email sends: a translation, or the mailing's release."""
        return self.release or self.mailing.release

    @property
    def link_revoked(self):
        """Whether this recipient's embargo link was taken back (select_related
        "embargo_revocation" to know without a query)."""
        return hasattr(self, "embargo_revocation")


class EmbargoOpen(models.Model):
    """A journalist opened an embargoed release through their own link."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="opens")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.delivery.email} at {self.opened_at:%Y-%m-%d %H:%M}"


class EmbargoRevocation(models.Model):
    """A recipient's embargo link taken back: from now on it opens nothing. The link itself is
    not stored (it is signed, see contacts/mailings/embargo.py), so taking it back is a row of
    its own."""

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, related_name="embargo_revocation"
    )
    revoked_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-revoked_at"]

    def __str__(self):
        return f"Embargo link of {self.delivery.email} revoked"
