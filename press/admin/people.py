from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date

from press.models import Organization, Person, Role


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

    def get_urls(self):
        return [
            path(
                "<int:pk>/attribution/",
                self.admin_site.admin_view(self.attribution_view),
                name="press_person_attribution",
            ),
            *super().get_urls(),
        ]

    def attribution_view(self, request, pk):
        """The quote attribution for this person on ?date=YYYY-MM-DD, for the quote inline."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=pk)
        try:
            day = parse_date(request.GET.get("date", "")) or timezone.localdate()
        except ValueError:  # well-formed but impossible, like 2024-02-30
            day = timezone.localdate()
        return JsonResponse({"attribution": person.attribution_on(day)})

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
