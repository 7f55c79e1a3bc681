from django.contrib import admin

from press.models import Organization, Person, Quote, Release, Role, Topic


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "city", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "honorific", "email"]
    list_filter = ["roles__kind", "roles__organization"]
    search_fields = ["name", "roles__title"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]

    def get_search_results(self, request, queryset, search_term):
        # Searching across roles joins many rows per person.
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organization", "kind", "start_date", "end_date"]
    list_filter = ["kind", "organization"]
    search_fields = ["person__name", "title", "organization__name"]
    autocomplete_fields = ["person", "organization"]
    list_select_related = ["person", "organization"]
    date_hierarchy = "start_date"


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "text", "attribution", "order"]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "is_live", "byline", "dateline_place", "published_at"]
    list_filter = ["status", "byline", "topics"]
    list_select_related = ["byline"]
    search_fields = ["title", "subtitle", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["byline", "people", "organizations", "media_contact"]
    date_hierarchy = "published_at"
    inlines = [QuoteInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "summary", "body", "byline"]}),
        (
            "Dateline",
            {
                "fields": [
                    "dateline_place",
                    "dateline_date",
                    "dateline_time_zone",
                    "dateline_override",
                ]
            },
        ),
        ("Publication", {"fields": ["status", "published_at"]}),
        ("Mentions", {"fields": ["topics", "people", "organizations", "media_contact"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        ("Boilerplate", {"fields": ["boilerplate"], "classes": ["collapse"]}),
    ]
