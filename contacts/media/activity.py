"""What passed between the office and a journalist, on their admin page: the releases sent to
them and what they did with each, and the notes staff keep of calls, replies and pitches."""

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string

from contacts.models import ContactNote, Mailing

SENDS_SHOWN = 50


class ContactNoteInline(admin.TabularInline):
    """Notes are signed by whoever saves them (MediaContactAdmin.save_formset)."""

    model = ContactNote
    fields = ["on", "kind", "text", "written_by"]
    readonly_fields = ["written_by"]
    extra = 1
    verbose_name = "note"
    verbose_name_plural = "notes of calls, replies and pitches"
    formfield_overrides = {
        ContactNote._meta.get_field("text").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60})
        }
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description="By")
    def written_by(self, note):
        if note.author is None:
            return "—"
        return note.author.get_full_name() or note.author.get_username()


def sign_notes(formset, user):
    """Save the notes of `formset`, new ones signed by `user`."""
    for note in formset.save(commit=False):
        if note.author_id is None:
            note.author = user
        note.save()
    for note in formset.deleted_objects:
        note.delete()


def releases_sent(contact):
    """The table of the latest SENDS_SHOWN releases sent to `contact`, newest first, with what
    they did with each: one query."""
    deliveries = (
        contact.deliveries.filter(mailing__kind=Mailing.Kind.DISTRIBUTION)
        .select_related("mailing__release")
        .with_outcomes()
        .order_by("-mailing__created_at", "-pk")[:SENDS_SHOWN]
    )
    return render_to_string(
        "admin/contacts/mediacontact/releases_sent.html", {"deliveries": list(deliveries)}
    )
