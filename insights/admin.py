"""The insights pages in the admin, each for staff with its model's view permission (editors,
press officers, administrators: insights/apps.py): a page per model of insights/models.py,
read-only, each table downloadable as CSV (`?csv=<table>` with the page's own period)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from insights import pages
from insights.forms import PeriodForm
from insights.models import JournalistInsights, Overview, SubscriberInsights, TopicInsights
from press.models import Release

PAGES = [Overview, TopicInsights, SubscriberInsights, JournalistInsights]


class InsightsPageAdmin(admin.ModelAdmin):
    """A read-only page of figures for a period."""

    build = None  # pages.<function>(period) -> tables

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The page itself (Django's own add, change and delete pages refuse everyone)."""
        self.allow(request)
        form = PeriodForm(request.GET)
        tables = type(self).build(form.chosen_period) if form.is_valid() else []
        title = f"Insights: {self.opts.verbose_name}"
        return self.respond(request, title, tables, form=form)

    def allow(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def respond(self, request, title, tables, **context):
        """The page, or one of its tables as CSV when `?csv=` names one."""
        wanted = request.GET.get("csv")
        if wanted is not None:
            for table in tables:
                if table.slug == wanted:
                    return table.csv_response()
            raise Http404("No such table on this page.")
        query = request.GET.copy()
        query.pop("csv", None)
        tabs = [
            (
                model._meta.verbose_name.capitalize(),
                reverse(f"admin:insights_{model._meta.model_name}_changelist")
                + (f"?{query.urlencode()}" if "form" in context else ""),
                model is self.model,
            )
            for model in PAGES
            if self.admin_site._registry[model].has_view_permission(request)
        ]
        return TemplateResponse(
            request,
            "admin/insights/page.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "tables": tables,
                "tabs": tabs,
                **context,
            },
        )


@admin.register(Overview)
class OverviewAdmin(InsightsPageAdmin):
    build = pages.overview

    def get_urls(self):
        release = self.admin_site.admin_view(self.release_view)
        return [
            path("release/<int:release_id>/", release, name="insights_overview_release"),
            *super().get_urls(),
        ]

    def release_view(self, request, release_id):
        self.allow(request)
        release = get_object_or_404(Release, pk=release_id)
        return self.respond(
            request, f"Insights: {release.title}", pages.release_page(release), release=release
        )


@admin.register(TopicInsights)
class TopicInsightsAdmin(InsightsPageAdmin):
    build = pages.topics_page


@admin.register(SubscriberInsights)
class SubscriberInsightsAdmin(InsightsPageAdmin):
    build = pages.subscribers_page


@admin.register(JournalistInsights)
class JournalistInsightsAdmin(InsightsPageAdmin):
    build = pages.journalists_page
