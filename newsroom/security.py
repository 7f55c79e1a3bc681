"""Security headers Django 5.2 does not set itself: Content-Security-Policy and
Permissions-Policy. (Django 6 has CSP built in; here the policy also needs the hash of the one
inline script the admin's rich-text editor emits, an import map, so it is built in code.)"""

import base64
import functools
import hashlib

from django.conf import settings
from django_prose_editor.widgets import ProseEditorWidget

from press.sanitize import BODY_EXTENSIONS

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


@functools.cache
def content_security_policy():
    """No inline script anywhere; the admin editor's import map is allowed by its hash.
    Inline style attributes stay allowed: Django's admin and the editor set some."""
    sources = ["'self'"]
    media_host = getattr(settings, "MEDIA_SOURCE", "")
    images = ["'self'", "data:", *([media_host] if media_host else [])]
    script = [*sources, f"'sha256-{_import_map_hash()}'"]
    directives = {
        "default-src": sources,
        "script-src": script,
        "style-src": [*sources, "'unsafe-inline'"],
        "img-src": images,
        "font-src": sources,
        "connect-src": sources,
        "form-action": sources,
        "base-uri": sources,
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _import_map_hash():
    """The sha256 of the <script type="importmap"> the prose editor widget renders."""
    widget = ProseEditorWidget(config={"extensions": BODY_EXTENSIONS}, preset="configurable")
    rendered = str(widget.media)
    start = rendered.index('<script type="importmap">') + len('<script type="importmap">')
    body = rendered[start : rendered.index("</script>", start)]
    return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy())
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
