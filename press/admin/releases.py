from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from reversion_compare.admin import CompareVersionAdmin

from core.ids import parse_id
from press.admin.compare import QuoteCompare
from press.admin.release_inlines import INLINES_AFTER, QuoteInline, ReleaseImageInline
from press.admin.topics import topic_picker
from press.admin.translations import ReleaseTranslationsAdmin
from press.forms import PreviewLinkForm, ReleaseAdminForm, TransitionForm
from press.models import PreviewLink, Release
from press.models.workflow import WORKFLOW
from press.views import render_release


class WorkflowFilter(admin.SimpleListFilter):
    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [
            ("mine", "My drafts"),
            ("review", "Awaiting review"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
            ("archived", "Archived"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.filter(status=Release.Status.DRAFT, author=request.user)
            case "review":
                return queryset.filter(status=Release.Status.IN_REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.live()
            case "archived":
                return queryset.filter(status=Release.Status.ARCHIVED)
        return queryset


def bulk_action(action, label):
    """A changelist action that takes one workflow step on each selected release, checking
    the permission release by release."""

    def run(modeladmin, request, queryset):
        done, refused = 0, []
        for release in queryset:
            try:
                release.move(action, request.user, comment="Bulk action")
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(f"{release}: {_message(error)}")
        if done:
            modeladmin.message_user(request, f"{label}: {done} release(s).", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    run.__name__ = f"{action}_selected"
    run.short_description = f"{label} selected releases"
    run.allowed_permissions = ["submit" if action == "submit" else "publish"]
    return run


def _schedule(release):
    """Offer the release's own publication time, past or future, when it is published from
    the workflow panel: Publish keeps it (Release.move())."""
    if release.published_at and release.status != Release.Status.PUBLISHED:
        local = timezone.localtime(release.published_at, release.tz)
        return {"publish_at": local.replace(tzinfo=None)}
    return {}


def _sections(adminform, inline_formsets):
    """[(fieldset, [inline formsets shown after it])] in the form's order; an inline whose
    fieldset is missing is shown after the last one."""
    sections = [(fieldset, []) for fieldset in adminform]
    placed = set()
    for fieldset, inlines in sections:
        model = INLINES_AFTER.get(fieldset.name)
        for formset in inline_formsets:
            if formset.opts.model is model:
                inlines.append(formset)
                placed.add(id(formset))
    if sections:
        sections[-1][1].extend(f for f in inline_formsets if id(f) not in placed)
    return sections


def _message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@admin.register(Release)
class ReleaseAdmin(ReleaseTranslationsAdmin, QuoteCompare, CompareVersionAdmin):
    form = ReleaseAdminForm
    list_display = [
        "title",
        "state_label",
        "dateline_place",
        "published_time",
        "author",
        "topic_list",
    ]
    list_filter = [WorkflowFilter, "status", "language", "byline", "topics"]
    list_select_related = ["byline", "author"]
    search_fields = ["title", "subtitle", "summary", "dateline_place"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["byline", "people", "organizations", "media_contact", "pinned_related"]
    date_hierarchy = "published_at"
    inlines = [QuoteInline, ReleaseImageInline]
    readonly_fields = ["state_label", "author"]
    actions = [
        bulk_action("submit", "Submit for review"),
        bulk_action("publish", "Publish"),
        bulk_action("unpublish", "Unpublish"),
        bulk_action("archive", "Archive"),
    ]
    change_form_template = "admin/press/release/change_form.html"

    @admin.display(description="status")
    def state_label(self, release):
        return release.state_label

    @admin.display(description="published at", ordering="published_at")
    def published_time(self, release):
        return release.format_time(release.published_at)

    @admin.display(description="topics")
    def topic_list(self, release):
        return ", ".join(sorted(topic.name for topic in release.topics.all()))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    def get_fieldsets(self, request, obj=None):
        # In the order an editor works: the story, who speaks in it, when and where it is
        # published, then who it goes to. The quotes and gallery inlines are shown after the
        # fieldset named in INLINES_AFTER (templates/admin/press/release/change_form.html).
        fieldsets = [
            (
                "Story",
                {
                    "fields": [
                        "title",
                        "slug",
                        "language",
                        "subtitle",
                        "summary",
                        "body",
                        "featured_image",
                        "featured_image_alt",
                        "featured_image_caption",
                        "featured_image_credit",
                        "featured_image_licence",
                    ]
                },
            ),
            ("People and quotes", {"fields": ["byline", "people", "organizations"]}),
            (
                "Dateline and publication",
                {
                    "fields": [
                        "dateline_place",
                        "dateline_date",
                        "dateline_time_zone",
                        "dateline_override",
                        "state_label",
                        "author",
                        "published_at",
                        "expires_at",
                    ],
                    "description": "Times are in the dateline's time zone.",
                },
            ),
            (
                "Distribution",
                {
                    "fields": [
                        "topics",
                        "media_contact",
                        "boilerplate",
                        "byline_name",
                        "pinned_related",
                    ]
                },
            ),
        ]
        if obj and obj.status == Release.Status.PUBLISHED:
            fieldsets.append(("Correction", {"fields": ["is_correction", "correction_note"]}))
        fieldsets.append((None, {"fields": ["loaded_version"], "classes": ["hidden"]}))
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "topics" in form.base_fields:  # a fresh dict per form class: replacing is safe
            form.base_fields["topics"] = topic_picker(self.admin_site, request)
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("press.publish_release"):
            fields += ["published_at", "expires_at"]
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_edit(request.user))

    def has_submit_permission(self, request):
        return request.user.has_perm("press.submit_release")

    def has_publish_permission(self, request):
        return request.user.has_perm("press.publish_release")

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Where the release stands, read before reversion writes the old version over it. The
        # address may name no release at all ("abc"): reversion answers that with a 404.
        request.release_standing = Release.objects.standing(parse_id(object_id))
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        standing = getattr(request, "release_standing", None)
        note = (
            form.cleaned_data["correction_note"] if form.cleaned_data.get("is_correction") else ""
        )
        if standing:
            # A version restored (reversion wrote it over the release before this form).
            obj.save_reverted(standing, request.user, correction_note=note)
        elif note:
            obj.correct(request.user, note)
        else:
            obj.last_edited_by = request.user
            super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Not while a version is being restored: that is saved first, then published.
        reverting = getattr(request, "release_standing", None)
        may_publish = (
            obj.can("publish", request.user) if obj else self.has_publish_permission(request)
        )
        context["show_save_and_publish"] = may_publish and not reverting
        context["release_sections"] = _sections(
            context["adminform"], context["inline_admin_formsets"]
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        published = self._publish_saved(request, obj)
        return published or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._publish_saved(request, obj) or super().response_change(request, obj)

    def _publish_saved(self, request, release):
        """ "Save and publish": the release just saved is published as the workflow panel's
        Publish would, at the publication time entered (now if none), and the editor stays on
        the page. None when the editor only saved."""
        if "_publish" not in request.POST:
            return None
        try:
            release.move("publish", request.user)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, f"Saved, but not published: {_message(error)}")
        else:
            when = release.format_time(release.published_at)
            messages.success(
                request, f"“{release}” was saved and is now {release.state_label.lower()}. {when}"
            )
        return redirect(self._change_url(release))

    def save_related(self, request, form, formsets, change):
        # Each saved quote would refresh the release's search vector: once at the end instead.
        with form.instance.search_vector_refreshed_once():
            super().save_related(request, form, formsets, change)
        if "_continue" not in request.POST:  # the form shown again says it itself
            for warning in form.instance.attribution_warnings():
                messages.warning(request, warning)

    # Workflow, previews and share links: extra admin pages of a release.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/move/<str:action>/", wrap(self.move_view), name="press_release_move"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="press_release_preview"),
            path(
                "<int:pk>/preview-links/",
                wrap(self.create_link_view),
                name="press_release_create_link",
            ),
            path(
                "preview-links/<int:link_pk>/revoke/",
                wrap(self.revoke_link_view),
                name="press_release_revoke_link",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = self.get_object(request, object_id)
        if release is not None:
            extra_context = {
                **(extra_context or {}),
                "release": release,
                "actions_available": [
                    (action, WORKFLOW[action].verb.capitalize())
                    for action in release.available_actions(request.user)
                ],
                "can_publish": release.can("publish", request.user),
                "published_label": release.format_time(release.published_at),
                "expires_label": release.format_time(release.expires_at),
                "transition_form": TransitionForm(release=release, initial=_schedule(release)),
                "transitions": release.transitions.select_related("user"),
                "attribution_warnings": release.attribution_warnings(),
                "preview_links": release.preview_links.prefetch_related("decisions"),
                "link_form": PreviewLinkForm(),
                "can_share": request.user.has_perm("press.add_previewlink")
                and self.has_change_permission(request, release),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _change_url(release):
        return reverse("admin:press_release_change", args=[release.pk])

    def move_view(self, request, pk, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = get_object_or_404(Release, pk=pk)
        if action not in WORKFLOW:
            raise Http404("No such workflow step.")
        form = TransitionForm(request.POST, release=release)
        if not form.is_valid():
            messages.error(request, "Check the publication time: it could not be read.")
            return redirect(self._change_url(release))
        try:
            release.move(
                action,
                request.user,
                comment=form.cleaned_data["comment"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            when = release.format_time(release.published_at) if action == "publish" else ""
            state = release.state_label.lower()
            messages.success(request, f"“{release}” is now {state}. {when}".strip())
        return redirect(self._change_url(release))

    def preview_view(self, request, pk):
        release = get_object_or_404(Release, pk=pk)
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        return render_release(request, release, preview_label="Preview: not public")

    def create_link_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = get_object_or_404(Release, pk=pk)
        if not (
            request.user.has_perm("press.add_previewlink")
            and self.has_change_permission(request, release)
        ):
            raise PermissionDenied
        form = PreviewLinkForm(
            request.POST, instance=PreviewLink(release=release, created_by=request.user)
        )
        if form.is_valid():
            link = form.save()
            url = request.build_absolute_uri(link.get_absolute_url())
            messages.success(request, f"Share this link: {url}")
        else:
            messages.error(request, "The link was not made: valid for 1 to 90 days.")
        return redirect(self._change_url(release))

    def revoke_link_view(self, request, link_pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        link = get_object_or_404(PreviewLink.objects.select_related("release"), pk=link_pk)
        if not (
            request.user.has_perm("press.change_previewlink")
            and self.has_change_permission(request, link.release)
        ):
            raise PermissionDenied
        link.revoke()
        messages.success(request, "The preview link no longer works.")
        return redirect(self._change_url(link.release))
