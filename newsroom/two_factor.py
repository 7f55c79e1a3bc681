"""Optional TOTP two-factor sign-in for staff, on django-otp's devices.

A staff member turns it on from "Two-factor sign-in" in the admin's user links: they scan a QR
code with an authenticator app and confirm one code. From then on the admin's sign-in asks for
the password and a current code. Staff who never turn it on sign in with their password alone.
Lost phone: an administrator deletes the member's device under "TOTP devices".

Guessing codes is slowed by django-otp's throttling (each wrong code doubles the wait, kept on the
device row, so every app server sees it); guessing passwords by django-axes.
"""

from base64 import b32encode
from io import BytesIO

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

WRONG_CODE = "That code is not right (or was used already). Enter the current code from your app."
THROTTLED = "Too many wrong codes. Wait a minute, then enter the current code from your app."


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=8,
            label="Authentication code",
            help_text="The 6-digit code your authenticator app shows now.",
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
            ),
            **kwargs,
        )


def check_code(device, code):
    """Raise a ValidationError unless `code` is the device's current, unused code."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise forms.ValidationError(THROTTLED, code="throttled")
    if not device.verify_token("".join(code.split())):
        raise forms.ValidationError(WRONG_CODE, code="wrong_code")


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin sign-in: a password, and a code for staff who turned two-factor on."""

    otp_token = CodeField(required=False)

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = user and confirmed_device(user)
        if device:
            if not cleaned.get("otp_token"):
                raise forms.ValidationError(
                    "This account signs in with two factors: enter the code from your "
                    "authenticator app as well.",
                    code="code_required",
                )
            check_code(device, cleaned["otp_token"])
        return cleaned


class CodeForm(forms.Form):
    code = CodeField()

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        check_code(self.device, self.cleaned_data["code"])
        return self.cleaned_data["code"]


def qr_code_svg(device):
    out = BytesIO()
    write_qrcode_image(device.config_url, out)
    # Drop the XML declaration: the SVG goes inline into the page.
    return out.getvalue().decode().split("?>", 1)[-1]


def settings_view(request):
    """Turn two-factor sign-in on (scan, then confirm a code) or off (confirm a code)."""
    device = confirmed_device(request.user)
    turning_off = device is not None
    if not turning_off:
        # One pending device per person: reloading the page shows the same secret.
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        device = device or TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if turning_off:
            TOTPDevice.objects.filter(user=request.user).delete()
            messages.success(request, "Two-factor sign-in is off.")
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, "Two-factor sign-in is on: you will need a code next time.")
        return redirect("admin-two-factor")
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor sign-in",
        "form": form,
        "enabled": turning_off,
        "qr_code": None if turning_off else qr_code_svg(device),
        "secret": None if turning_off else b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "admin/two_factor.html", context)
