"""Admin for mailings: topic alerts (made by the dispatcher, read-only here) and sends of a
release to media lists and contacts, which press officers compose, preview and send.

Only users who may add mailings (press officers and administrators) see any of it. A send is
editable while it is a draft; once sent it shows its progress and its per-recipient log."""

from email.header import decode_header, make_header

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from contacts.mailings.emails import compose
from contacts.mailings.tasks import enqueue_send
from contacts.mailings.translations import sendable_translations, translation_for
from contacts.models import (
    Delivery,
    DeliveryEvent,
    EmbargoOpen,
    Mailing,
    MediaContact,
    MediaList,
    Segment,
)
from press.models import Release

SEND_PERMISSION = "contacts.add_mailing"
REPEATS_SHOWN = 50  # recipients named in the warning; the rest are counted


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = [
            "release",
            "media_lists",
            "segments",
            "contacts",
            "language",
            "in_their_language",
            "subject",
            "personal_note",
            "send_at",
        ]
        help_texts = {
            "subject": "Leave empty to use the release's title. Sent before the release is "
            'public, it starts with "EMBARGOED UNTIL" and the time.',
            "personal_note": "A few words above the release, the same for every recipient.",
            "send_at": "Leave empty to send when you press Send.",
        }

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\r" in subject or "\n" in subject:
            raise forms.ValidationError("The subject must be one line: remove the line breaks.")
        return subject

    def clean(self):
        cleaned = super().clean()
        release = cleaned.get("release")
        if release and release.status != Release.Status.PUBLISHED:
            self.add_error(
                "release", "Publish or schedule the release first: only those can be sent."
            )
        if not any(cleaned.get(name) for name in ("media_lists", "segments", "contacts")):
            raise forms.ValidationError("Choose at least one media list, segment or contact.")
        return cleaned


class SendForm(forms.Form):
    include_earlier_recipients = forms.BooleanField(
        required=False, label="Send it to them again as well"
    )


class SendPermission:
    def has_send_permission(self, request):
        return request.user.has_perm(SEND_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return self.has_send_permission(request)


@admin.register(Mailing)
class MailingAdmin(SendPermission, admin.ModelAdmin):
    form = MailingForm
    list_display = [
        "release",
        "kind",
        "topics_label",
        "status",
        "send_at",
        "progress_label",
        "created_by",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["release", "created_by"]
    search_fields = ["release__title", "subject"]
    autocomplete_fields = ["release"]
    actions = ["retry_failed"]
    change_form_template = "admin/contacts/mailing/change_form.html"

    def get_queryset(self, request):
        sent = Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT))
        mailings = super().get_queryset(request).prefetch_related("alerted_topics__topic")
        return mailings.annotate(sent_count=sent, total=Count("deliveries"))

    @admin.display(description="for topics")
    def topics_label(self, mailing):
        """An alert's topics: all of the release's when it went live, or those added later."""
        names = ", ".join(sorted(row.topic.name for row in mailing.alerted_topics.all()))
        if mailing.for_added_topics:
            return f"Added later: {names}"
        return names or "—"

    @admin.display(description="sent")
    def progress_label(self, mailing):
        return f"{mailing.sent_count} of {mailing.total}" if mailing.total else "—"

    def get_autocomplete_fields(self, request):
        """Lists, segments and contacts are looked up as you type once their admin offers a
        search."""
        fields = list(self.autocomplete_fields)
        choosers = (("media_lists", MediaList), ("segments", Segment), ("contacts", MediaContact))
        for name, model in choosers:
            related = self.admin_site._registry.get(model)
            if related is not None and related.search_fields:
                fields.append(name)
        return fields

    def has_add_permission(self, request):
        return self.has_send_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_send_permission(request) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        draft = obj is None or obj.status == Mailing.Status.DRAFT
        return request.user.has_perm("contacts.delete_mailing") and draft

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete sent mailings and their log
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.kind, obj.created_by = Mailing.Kind.DISTRIBUTION, request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="contacts_mailing_preview"),
            path(
                "<int:pk>/send/", view(require_POST(self.send_view)), name="contacts_mailing_send"
            ),
            path(
                "<int:pk>/retry/",
                view(require_POST(self.retry_view)),
                name="contacts_mailing_retry",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        mailing = self.get_object(request, object_id)
        if mailing is not None:
            extra_context = {**(extra_context or {}), **self.progress(mailing)}
            if mailing.is_draft:
                extra_context.update(self.repeats(mailing))
        return super().change_view(request, object_id, form_url, extra_context)

    def repeats(self, mailing):
        """Who would get the release a second time: counted, and the first REPEATS_SHOWN
        named (two queries)."""
        repeats = mailing.repeat_recipients().select_related("outlet")
        count = repeats.count()
        return {
            "repeat_count": count,
            "repeats": repeats[:REPEATS_SHOWN] if count else [],
            "repeats_unnamed": max(count - REPEATS_SHOWN, 0),
            "send_form": SendForm(),
        }

    def progress(self, mailing):
        """Counts per status for the progress bar (the page reloads itself while sending), and
        once sent, what happened after (Mailing.objects.with_figures(): one query)."""
        figures = None
        if mailing.status != Mailing.Status.DRAFT:
            figures = figure_rows(Mailing.objects.with_figures().get(pk=mailing.pk))
        counts = dict(mailing.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
        total = sum(counts.values())
        return {
            "mailing": mailing,
            "counts": [
                (label, value, counts.get(value, 0)) for value, label in Delivery.Status.choices
            ],
            "total": total,
            "finished": total - counts.get("queued", 0) - counts.get("sending", 0),
            "failed": counts.get("failed", 0),
            "refresh": mailing.status in (Mailing.Status.QUEUED, Mailing.Status.SENDING),
            "figures": figures,
            "deliveries_url": reverse("admin:contacts_delivery_changelist")
            + f"?mailing__id__exact={mailing.pk}",
        }

    def checked_mailing(self, request, pk):
        if not self.has_send_permission(request):
            raise PermissionDenied
        return get_object_or_404(Mailing.objects.select_related("release", "created_by"), pk=pk)

    def preview_view(self, request, pk):
        """The email as its first recipient will receive it (the translation in their
        language, when they are sent one)."""
        mailing = self.checked_mailing(request, pk)
        sample = mailing.sample_delivery()
        release = translation_for(sample, mailing.release, sendable_translations(mailing))
        message = compose(mailing, release, sample)
        [(html, _)] = message.alternatives
        mime = message.message()
        return TemplateResponse(
            request,
            "admin/contacts/mailing/preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": mailing,
                "title": "Preview of the email",
                "headers": [
                    (name, str(make_header(decode_header(mime[name]))))
                    for name in ("Subject", "From", "To", "Reply-To", "List-Unsubscribe")
                    if mime[name]
                ],
                "text": message.body,
                "html": html,
            },
        )

    def send_view(self, request, pk):
        mailing = self.checked_mailing(request, pk)
        form = SendForm(request.POST)
        form.is_valid()  # a lone optional box: always valid
        include = form.cleaned_data["include_earlier_recipients"]
        left_out = 0 if include else mailing.repeat_recipients().count()
        try:
            mailing.queue(include)
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            if left_out:
                self.message_user(
                    request,
                    f"{left_out} recipient(s) who already received this release are left out.",
                    messages.WARNING,
                )
            if not mailing.is_due():
                when = mailing.release.format_time(mailing.send_at)
                self.message_user(request, f"Scheduled for {when}.", messages.SUCCESS)
            else:
                enqueue_send(mailing)
                self.message_user(request, "Sending now.", messages.SUCCESS)
        return redirect("admin:contacts_mailing_change", mailing.pk)

    def retry_view(self, request, pk):
        self.retry_failed(request, Mailing.objects.filter(pk=self.checked_mailing(request, pk).pk))
        return redirect("admin:contacts_mailing_change", pk)

    @admin.action(description="Retry failed emails", permissions=["send"])
    def retry_failed(self, request, queryset):
        retry(request, self, queryset)


def figure_rows(mailing):
    """A mailing's figures (read with Mailing.objects.with_figures()) as the page shows them:
    (label, number, share of the emails sent, what it means)."""
    share = (lambda n: f"{n / mailing.sent:.0%}") if mailing.sent else (lambda n: "")
    return [
        ("Sent", mailing.sent, "", "Emails handed to the mail server."),
        ("Delivered", mailing.delivered, share(mailing.delivered), "As the provider reports."),
        ("Bounced", mailing.bounced, share(mailing.bounced), "Refused for good."),
        ("Marked as spam", mailing.complained, share(mailing.complained), ""),
        (
            "Opened (estimated)",
            mailing.opened,
            share(mailing.opened),
            "Seen by the tracking pixel or the provider, or a link clicked; mail apps that "
            "block images hide opens, and some that load them in advance invent them.",
        ),
        (
            "Clicked",
            mailing.clicked,
            share(mailing.clicked),
            f"{mailing.clicks} click(s) in all.",
        ),
        ("Opted out", mailing.unsubscribed, share(mailing.unsubscribed), ""),
        (
            "Opened the embargo link",
            mailing.embargo_readers,
            share(mailing.embargo_readers),
            f"{mailing.embargo_opens} open(s) in all.",
        ),
    ]


def retry(request, model_admin, mailings, among=None):
    """Queue the failed emails of `mailings` again (only those of `among`, when given) and
    send them."""
    count = 0
    for mailing in mailings:
        retried = mailing.retry_failed(among)
        if retried:
            enqueue_send(mailing)
        count += retried
    model_admin.message_user(request, f"{count} failed email(s) queued again.", messages.SUCCESS)


class EmbargoOpenInline(admin.TabularInline):
    model = EmbargoOpen
    fields = readonly_fields = ["opened_at"]
    extra = max_num = 0
    can_delete = False
    verbose_name_plural = "opens of the embargo link"


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    fields = readonly_fields = ["at", "kind", "source", "detail"]
    extra = max_num = 0
    can_delete = False
    verbose_name_plural = "what happened after it was sent (bounces, complaints, opt-outs)"


@admin.register(Delivery)
class DeliveryAdmin(SendPermission, admin.ModelAdmin):
    """The per-recipient log of every mailing."""

    list_display = ["email", "mailing", "status", "attempts", "sent_at", "error", "link_opens"]
    list_filter = ["status", "mailing__kind"]
    list_select_related = ["mailing__release", "embargo_revocation"]
    search_fields = ["email"]
    fields = readonly_fields = [
        "mailing",
        "release",
        "email",
        "status",
        "attempts",
        "sent_at",
        "error",
        "claimed_by",
        "claimed_at",
        "message_id",
    ]
    inlines = [EmbargoOpenInline, DeliveryEventInline]
    actions = ["retry_selected", "revoke_embargo_links"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(open_count=Count("opens"))

    @admin.display(description="embargo link")
    def link_opens(self, delivery):
        if delivery.link_revoked:
            return "revoked"
        return format_html("opened {} time(s)", delivery.open_count) if delivery.open_count else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry selected failed emails", permissions=["send"])
    def retry_selected(self, request, queryset):
        failed = queryset.filter(status=Delivery.Status.FAILED)
        retry(request, self, Mailing.objects.filter(pk__in=failed.values("mailing")), failed)

    @admin.action(description="Revoke their embargo links", permissions=["send"])
    def revoke_embargo_links(self, request, queryset):
        revoked = queryset.revoke_embargo_links(request.user)
        self.message_user(request, f"{revoked} embargo link(s) revoked.", messages.SUCCESS)
