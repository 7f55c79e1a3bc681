"""Coverage in the admin: the articles that reported on a release, recorded by staff, listed
here and shown on each release's own page (the inline below, which newsroom/admin.py adds to
the release admin: press knows nothing of contacts)."""

from django import forms
from django.contrib import admin
from django.db import models

from contacts.models import Coverage

FIELDS = ["url", "outlet", "outlet_name", "published_on", "title"]


class CoverageInline(admin.TabularInline):
    """For the release admin: its coverage, added and signed there (`sign_coverage`)."""

    model = Coverage
    fields = FIELDS
    autocomplete_fields = ["outlet"]
    extra = 1
    verbose_name = "article"
    verbose_name_plural = "coverage: articles about this release"
    # A row of plain inputs narrow enough for the release page: no "Currently:" link above
    # the address, no buttons to edit outlets beside the outlet.
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "widget": forms.URLInput(attrs={"size": 22})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 14})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "outlet":
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
            widget.widget.attrs["style"] = "width: 11em"
        return field


def sign_coverage(formset, user):
    """Save the coverage of `formset`, what is new as added by `user`."""
    for coverage in formset.save(commit=False):
        if coverage.added_by_id is None:
            coverage.added_by = user
        coverage.save()
    for coverage in formset.deleted_objects:
        coverage.delete()


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = ["headline", "outlet_label", "published_on", "release", "added_by"]
    list_select_related = ["outlet", "release", "added_by"]
    list_filter = ["published_on"]
    date_hierarchy = "published_on"
    search_fields = ["title", "url", "outlet_name", "outlet__name", "release__title"]
    autocomplete_fields = ["release", "outlet"]
    fields = ["release", *FIELDS, "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Article", ordering="title")
    def headline(self, coverage):
        return str(coverage)

    @admin.display(description="Outlet")
    def outlet_label(self, coverage):
        return coverage.outlet_label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
