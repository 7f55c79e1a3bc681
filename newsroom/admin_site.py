"""The admin site: Django's, with one guard on what comes in from the address and the forms.

Editors meet Django's own messages for a bad filter or a missing object; these are the inputs
that slip past it and end as a 500, in every ModelAdmin (ours and other apps'), so the site
applies the guard to each one as it is registered, and to its inlines:
- NUL (%00) in the address or the query string: PostgreSQL refuses it in any query (search,
  autocomplete, filters, object ids), so the request gets a 400 before it reaches one; so
  does an empty `_to_field`, and one naming a hidden reverse relation (`+`).
- An impossible date in a changelist's date drill-down (newsroom.changelists).
- An action posted with a selection that cannot be a key ("abc", a 30-digit number): the
  changelist again, with a message, and nothing changed.
- A form re-shown with such a value in an autocomplete field: the widget looks the value up
  to show it, so it shows only the values that could be keys (the field has the error).
"""

import functools

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponseBadRequest

from core.ids import IdMultipleChoiceField, fits
from newsroom.changelists import ImpossibleDatesRefused


class GuardedAdminSite(admin.AdminSite):
    """Every ModelAdmin registered here gets ModelAdminGuard; every page,
    refuse_impossible_input(). Named after the organization (its site settings, falling back to
    settings.NEWSROOM_NAME), read on each page, where Django says "Django administration"."""

    @property
    def site_header(self):
        return site_settings().name

    @property
    def site_title(self):
        return site_settings().name

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = with_guard(admin_class or admin.ModelAdmin, ModelAdminGuard)
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        return super().admin_view(refuse_impossible_input(view), cacheable)

    def each_context(self, request):
        """Every admin page carries the organization's name and logo from the site settings
        (the name falls back to the NEWSROOM_NAME setting)."""
        return {**super().each_context(request), "brand": site_settings()}


def site_settings():
    """core.models.SiteSettings.objects.current(), cached. Looked up by name: this module is
    imported while apps load, before models can be."""
    return apps.get_model("core", "SiteSettings").objects.current()


def refuse_impossible_input(view):
    """The view, answering a 400 to NUL in the path or the query string (posted forms refuse
    it themselves, field by field, with Django's message), and to an empty `_to_field`: Django
    refuses a field it does not allow there, but looks an empty name up, and fails."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in k + "".join(v) for k, v in query):
            return HttpResponseBadRequest(
                "The address contains a NUL character (%00), which no admin page reads.",
                content_type="text/plain; charset=utf-8",
            )
        if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
            return HttpResponseBadRequest(
                f"{TO_FIELD_VAR} names no field.", content_type="text/plain; charset=utf-8"
            )
        return view(request, *args, **kwargs)

    return guarded


@functools.cache
def with_guard(cls, guard):
    """`cls` with `guard` mixed in first, under the same name (messages and checks name it)."""
    if issubclass(cls, guard):
        return cls
    namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    return type(cls)(cls.__name__, (guard, cls), namespace)


class PossibleKeysShown:
    """For autocomplete widgets, which look up the selected values to show them."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if fits(target, v)], attr)


class GuardedAutocompleteSelect(PossibleKeysShown, AutocompleteSelect):
    pass


class GuardedAutocompleteSelectMultiple(PossibleKeysShown, AutocompleteSelectMultiple):
    pass


class AutocompleteGuard:
    """For ModelAdmins and inlines: autocomplete widgets that show only possible keys. The
    same choice Django makes (autocomplete first, when no widget is given), with our widgets."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Ids a key cannot hold ("-9223372036854775809") are refused before the query, which
        # SQLite fails with OverflowError.
        kwargs.setdefault("form_class", IdMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ModelAdminGuard(AutocompleteGuard):
    """Changelists that refuse impossible dates, inlines with the autocomplete guard, actions
    that run only on selections that could be keys."""

    def to_field_allowed(self, request, to_field):
        """Django's rule, but a relation pointing here with related_name="+" (quotes, workflow
        records) is refused as any other name is: get_field() finds it under "+", and Django
        reads it as a field, and fails."""
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        return field.concrete and super().to_field_allowed(request, to_field)

    def get_changelist(self, request, **kwargs):
        return with_guard(super().get_changelist(request, **kwargs), ImpossibleDatesRefused)

    def get_inlines(self, request, obj):
        return [
            with_guard(inline, AutocompleteGuard) for inline in super().get_inlines(request, obj)
        ]

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(fits(self.model._meta.pk, value) for value in selected):
            self.message_user(
                request,
                "The selection could not be read, so nothing was changed. Select the items again.",
                messages.ERROR,
            )
            return None  # the changelist shows again, with the message
        return super().response_action(request, queryset)


class GuardedAdminConfig(AdminConfig):
    """django.contrib.admin, with the guarded site (INSTALLED_APPS names this instead)."""

    default_site = "newsroom.admin_site.GuardedAdminSite"
