"""Topics in the admin: the list editors pick from on a release (an autocomplete that never
makes a topic), making one as a step of its own, and merging topics that mean the same."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit.models import Tag

from press.admin.translations import TranslatedFieldsAdmin
from press.forms import TopicMergeForm, topic_choice_field
from press.models import Release, Topic

# Topics replace taggit's own tag model, which would only confuse editors.
admin.site.unregister(Tag)


class TopicAutocomplete(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        # Only ids can be picked: anything else posted (a name typed by a script) is shown as
        # nothing chosen, next to the field's error, rather than looked up as an id.
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


def topic_picker(admin_site, request):
    """The release form's topics: picked from the list by typing part of a name, in any case.
    Editors allowed to make topics get a "+" beside it that opens the topic form."""
    topics = Release._meta.get_field("topics")
    field = topic_choice_field(widget=TopicAutocomplete(topics, admin_site))
    field.widget = RelatedFieldWidgetWrapper(
        field.widget,
        topics.remote_field,
        admin_site,
        can_add_related=request.user.has_perm("press.add_topic"),
    )
    return field


@admin.register(Topic)
class TopicAdmin(TranslatedFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "release_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_topics"]

    @admin.display(description="releases", ordering="release_count")
    def release_count(self, topic):
        return topic.release_count

    def get_queryset(self, request):
        # Counted per topic, the rows are grouped: the default order must then be named.
        topics = super().get_queryset(request).annotate(release_count=Count("tagged_releases"))
        return topics.order_by("name")

    def has_merge_permission(self, request):
        return request.user.has_perm("press.merge_topic")

    @admin.action(description="Merge selected topics into one", permissions=["merge"])
    def merge_topics(self, request, queryset):
        """Asks which topic to keep, then merges the others into it (Topic.merge())."""
        topics = list(queryset.order_by("-release_count", "pk"))
        if len(topics) < 2:
            self.message_user(request, "Select two topics or more to merge.", messages.WARNING)
            return None
        form = TopicMergeForm(request.POST if "kept" in request.POST else None, topics=topics)
        if form.is_valid():
            kept = form.cleaned_data["kept"]
            merged = [topic for topic in topics if topic.pk != kept.pk]
            kept.merge(merged)
            names = ", ".join(f"“{topic}”" for topic in merged)
            self.message_user(
                request,
                f"Merged {names} into “{kept}”: their releases and followers moved, and their "
                "addresses now lead to it.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/press/topic/merge_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge topics",
                "opts": self.opts,
                "form": form,
                "topics": topics,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
