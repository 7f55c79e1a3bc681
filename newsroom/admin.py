"""Other apps' admin pages, mended or joined up. Registered after theirs: newsroom comes last in
INSTALLED_APPS, and the admin reads each app's admin module in that order."""

from axes.admin import AccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts.media.coverage import CoverageInline, sign_coverage
from contacts.models import Coverage
from core.ids import fits
from insights.pages import release_link
from press.admin.releases import ReleaseAdmin
from press.models import Release


class MendedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' "Clean up expired attempts" reads the attempt time its handler sets only on
    sign-in requests, so in the admin it ended in a 500 (jazzband/django-axes#1424): the time
    is set first, as on a sign-in."""

    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


class MendedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's setup and QR code pages of a device look it up with .get(): a device
    deleted meanwhile (or an id typed by hand) was a 500. A 404 now."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


class ReleaseWithCoverageAdmin(ReleaseAdmin):
    """The release admin with the release's coverage (contacts): press may not import
    contacts, so the two meet here."""

    inlines = [*ReleaseAdmin.inlines, CoverageInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """With a link to the release's insights (reads, mailings, coverage) for those who may
        see them."""
        # The key as the form reads it: "+1" is release 1, which the link's route spells
        # without a sign. Keys are counted from 1: "-5" names no release, and has no link.
        key = Release._meta.pk.to_python(object_id) if fits(Release._meta.pk, object_id) else 0
        if request.user.has_perm("insights.view_overview") and key > 0:
            extra_context = {**(extra_context or {}), "insights_url": release_link(key)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is Coverage:
            sign_coverage(formset, request.user)
        else:
            super().save_formset(request, form, formset, change)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, MendedAccessAttemptAdmin)
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, MendedTOTPDeviceAdmin)
admin.site.unregister(Release)
admin.site.register(Release, ReleaseWithCoverageAdmin)
