"""A press officer's notes on a journalist: a call, a reply to a release, a pitch. Kept beside
the contact's history (ContactEvent, written by the system), but written by people."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.models.media import MediaContact


class ContactNote(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", "Call"
        REPLY = "reply", "Reply"
        PITCH = "pitch", "Pitch"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    contact = models.ForeignKey(
        MediaContact, on_delete=models.CASCADE, related_name="contact_notes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CALL)
    on = models.DateField("date", default=timezone.localdate, help_text="When it happened.")
    text = models.TextField("note", help_text="What was said, asked or promised.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whoever wrote the note: set when it is saved.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-created_at"]
        indexes = [
            # A contact's notes, newest first, on their admin page.
            models.Index(fields=["contact", "-on"], name="contact_note_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%Y-%m-%d}"
