from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date

from press.admin.translations import TranslatedFieldsAdmin
from press.models import Organization, OrganizationName, Person, Role


class OrganizationNameInline(admin.TabularInline):
    model = OrganizationName
    extra = 0
    fields = ["name", "valid_until", "slug"]
    verbose_name = "former name"
    verbose_name_plural = "former names"


@admin.register(Organization)
class OrganizationAdmin(TranslatedFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "city", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "city", "former_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [OrganizationNameInline]

    def get_search_results(self, request, queryset, search_term):
        # Several former names may match.
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


class RoleInline(TranslatedFieldsAdmin, admin.StackedInline):
    """One role a block: title and organization, then the dates, on a line each; six
    fields with date pickers in one row overflow a laptop's screen."""

    model = Role
    extra = 1
    autocomplete_fields = ["organization"]
    fields = [("title", "organization"), ("start_date", "end_date"), "kind"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "honorific", "email"]
    list_filter = ["roles__kind", "roles__organization"]
    search_fields = ["name", "roles__title"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_object(request, object_id)
        if person is not None and request.method == "GET":
            for first, second in person.overlapping_roles():
                messages.warning(
                    request,
                    f"Two roles at {first.organization} overlap: {first.title} ({first.span}) "
                    f"and {second.title} ({second.span}). If one followed the other (acting, "
                    "then permanent), give the first an end date.",
                )
        return super().change_view(request, object_id, form_url, extra_context)

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
        """The quote attribution for this person on ?date=YYYY-MM-DD, and their roles (held
        then or not), for the quote inline."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=pk)
        try:
            day = parse_date(request.GET.get("date", "")) or timezone.localdate()
        except ValueError:  # well-formed but impossible, like 2024-02-30
            day = timezone.localdate()
        roles = person.roles.select_related("organization").oldest_first()
        roles = roles.prefetch_related("organization__former_names")
        return JsonResponse(
            {
                "attribution": person.attribution_on(day),
                "roles": [
                    {
                        "id": role.pk,
                        "label": role.label_on(day),
                        "choice": f"{role.label_on(day)} ({role.span})",
                        "held": role.held_on_day(day),
                    }
                    for role in roles
                ],
            }
        )

    def get_search_results(self, request, queryset, search_term):
        # Searching across roles joins many rows per person.
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Role)
class RoleAdmin(TranslatedFieldsAdmin, admin.ModelAdmin):
    list_display = ["person", "title", "organization", "kind", "start_date", "end_date"]
    list_filter = ["kind", "organization"]
    search_fields = ["person__name", "title", "organization__name"]
    autocomplete_fields = ["person", "organization"]
    list_select_related = ["person", "organization"]
    date_hierarchy = "start_date"
