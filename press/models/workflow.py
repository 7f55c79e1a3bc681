"""The editorial workflow: the steps a release takes (WORKFLOW) and who may take them, taking
them (ReleaseWorkflow: the only code that writes a release's status, its corrections and
their time, which no form edits), the record of each step, and the preview links approvers
answer through.

Release takes its moves from ReleaseWorkflow, so callers say `release.move("publish", user)`;
the models here name Release by string, as Release's module imports this one.
"""

import datetime

import reversion
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from press.models import publication
from press.models.publication import Status

# What a revert leaves alone: it restores what a release says, not where it stands in the
# workflow, which only workflow steps change.
KEPT_ON_REVERT = ("status", "published_at", "expires_at", "corrected_at", "author_id")


class Step:
    """One kind of move through the workflow."""

    def __init__(self, sources, target, permission, verb, done):
        self.sources, self.target, self.permission = sources, target, permission
        self.verb, self.done = verb, done


WORKFLOW = {
    "submit": Step({Status.DRAFT}, Status.IN_REVIEW, "press.submit_release", "submit", "submitted"),
    "return": Step({Status.IN_REVIEW}, Status.DRAFT, "press.publish_release", "return", "returned"),
    "publish": Step(
        {Status.DRAFT, Status.IN_REVIEW},
        Status.PUBLISHED,
        "press.publish_release",
        "publish",
        "published",
    ),
    "unpublish": Step(
        {Status.PUBLISHED, Status.ARCHIVED},
        Status.DRAFT,
        "press.publish_release",
        "unpublish",
        "unpublished",
    ),
    "archive": Step(
        {Status.PUBLISHED}, Status.ARCHIVED, "press.publish_release", "archive", "archived"
    ),
}


class ReleaseWorkflow:
    """A release's moves through the workflow (mixed into Release)."""

    def can_edit(self, user):
        """Editors edit any release; contributors only their own drafts."""
        if not user.has_perm("press.change_release"):
            return False
        if user.has_perm("press.edit_any_release"):
            return True
        return self.author_id == user.pk and self.status == self.Status.DRAFT

    def can(self, action, user):
        """Whether `user` may take `action` on this release now."""
        step = WORKFLOW[action]
        if self.status not in step.sources or not user.has_perm(step.permission):
            return False
        if action == "submit":
            return self.author_id == user.pk or user.has_perm("press.edit_any_release")
        return True

    def available_actions(self, user):
        return [action for action in WORKFLOW if self.can(action, user)]

    def move(self, action, user, comment="", publish_at=None):
        """Take a workflow step: check it is allowed, change the status, record who did it and
        save a version. Publishing takes `publish_at`, else the publication time entered on the
        release, else now (publication.publication_time()): a past time backdates the release,
        live at once; a future one schedules it."""
        step = WORKFLOW[action]
        if self.status not in step.sources:
            raise ValidationError(
                f"A release that is {self.get_status_display().lower()} cannot be {step.done}."
            )
        if not self.can(action, user):
            raise PermissionDenied(f"You may not {step.verb} this release.")
        recorded = action
        if action == "publish":
            self.published_at = publication.publication_time(publish_at, self.published_at)
            if self.published_at > timezone.now():
                recorded = "schedule"
            if self.expires_at and self.expires_at <= self.published_at:
                raise ValidationError("The expiry time must come after the publication time.")
        from_status, self.status = self.status, step.target
        with transaction.atomic(), reversion.create_revision():
            self.last_edited_by = user
            self.save()
            reversion.set_user(user)
            reversion.set_comment(f"{step.done.capitalize()}. {comment}".strip())
            self.transitions.create(
                action=recorded,
                from_status=from_status,
                to_status=self.status,
                user=user,
                comment=comment,
                publish_at=self.published_at if action == "publish" else None,
            )

    def correct(self, user, note):
        """Save the changes made to this published release as a correction: a Correction
        record (readers see "Updated <date>: <note>"), the new time for feeds and sitemaps,
        and the step recorded with the note. A correction without a note is refused."""
        note = note.strip()
        if not note:
            raise ValidationError("Say in a few words what was corrected.")
        if self.status != Status.PUBLISHED:
            raise ValidationError("Only a published release can be corrected.")
        with transaction.atomic():
            self.corrected_at = timezone.now()
            self.last_edited_by = user
            self.save()
            self.corrections.create(note=note, user=user, created_at=self.corrected_at)
            self.transitions.create(
                action=Transition.Action.CORRECT,
                from_status=self.status,
                to_status=self.status,
                user=user,
                comment=note,
            )

    def revert_to(self, version, user, correction_note=""):
        """Make this release say again what `version` of it said (its quotes, topics and
        images with it), keeping where it stands and its address (save_reverted()); recorded
        as a correction when a note is given. Its corrections are records outside its
        versions: a revert leaves every one of them, note and all."""
        if (version.content_type.model_class(), version.object_id) != (type(self), str(self.pk)):
            raise ValidationError("That version is not a version of this release.")
        standing = type(self).objects.standing(self.pk)
        with transaction.atomic():
            with reversion.create_revision():
                version.revision.revert(delete=True)
                self.refresh_from_db()
                reversion.set_user(user)
                saved = version.revision.date_created
                reversion.set_comment(f"Reverted to the version saved {saved:%Y-%m-%d %H:%M} UTC.")
                self.save_reverted(standing, user, correction_note)

    def save_reverted(self, standing, user, correction_note=""):
        """Save this release once an older version of it has been written over it (by
        revert_to(), or by reversion before the admin's form): it keeps where it stood,
        `standing` as read before the revert (ReleaseQuerySet.standing()), the address it had
        keeps answering, and, with a note, the revert is recorded as a correction. Its
        corrections are not part of any version: none is lost or loses its note."""
        for name in KEPT_ON_REVERT:
            setattr(self, name, standing[name])
        self.last_edited_by = user
        self.save()
        # The revert wrote the older address into the row: save() compared with that one.
        self.keep_old_address(standing)
        if correction_note:
            self.correct(user, correction_note)


class Transition(models.Model):
    """One step of a release through the workflow: who moved it, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        RETURN = "return", "Returned to the author"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        UNPUBLISH = "unpublish", "Unpublished"
        ARCHIVE = "archive", "Archived"
        CORRECT = "correct", "Corrected"

    release = models.ForeignKey("Release", on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="For publish and schedule: the publication time set."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.release}"


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A signed address that lets someone without an account read one draft and answer."""

    DEFAULT_LIFETIME = datetime.timedelta(days=7)
    SALT = "press.preview-link"

    release = models.ForeignKey("Release", on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(
        max_length=200, blank=True, help_text='Who the link is for: "Mayor\'s office".'
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of {self.release} ({self.note or 'no note'})"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = self.created_at + self.DEFAULT_LIFETIME
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("press:preview", args=[self.token])

    @property
    def token(self):
        return signing.dumps(self.pk, salt=self.SALT)

    @classmethod
    def from_token(cls, token):
        """The usable link a token names, or None: a bad signature, a revoked or an expired
        link all look the same from outside."""
        try:
            pk = signing.loads(token, salt=cls.SALT)
        except signing.BadSignature:
            return None
        return cls.objects.usable().select_related("release").filter(pk=pk).first()

    def revoke(self):
        """The link stops working at once; its answers stay."""
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class PreviewDecision(models.Model):
    """An approver's answer through a preview link, against the version they read."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        REQUEST_CHANGES = "request_changes", "Changes requested"

    link = models.ForeignKey(PreviewLink, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    name = models.CharField("your name", max_length=200, blank=True)
    comment = models.TextField(blank=True)
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The saved version of the release the approver read.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.name or 'approver'}"


class SlugRedirect(models.Model):
    """An address a published release used to have, kept working with a 301."""

    release = models.ForeignKey("Release", on_delete=models.CASCADE, related_name="old_addresses")
    dateline_date = models.DateField()
    slug = models.SlugField(max_length=200)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dateline_date", "slug"], name="one_redirect_per_url")
        ]

    def __str__(self):
        return f"{self.dateline_date}/{self.slug} -> {self.release}"
