"""Who is calling (an API key in the X-API-Key header, or nobody) and how often they may.

Counts are kept in the shared cache (Redis), so every app server counts against the same
limit: a fixed window per minute, one atomic increment per request. Anonymous callers share
API_ANONYMOUS_RATE per address; each key has its own rate, set in the admin. Over the limit,
the answer is 429 with Retry-After (django-ninja adds it from wait()).
"""

import threading
import time

from django.conf import settings
from ninja.security import APIKeyHeader
from ninja.throttling import BaseThrottle

from api.models import ApiKey
from core.rate_limits import too_many

WINDOW = 60  # seconds


class KeyHeader(APIKeyHeader):
    """X-API-Key: an issued key. Without the header the caller is anonymous; a wrong key is
    refused (401) rather than served at the anonymous rate, so a typo shows at once."""

    param_name = "X-API-Key"

    def __call__(self, request):
        if not request.headers.get(self.param_name):
            return ANONYMOUS
        return super().__call__(request)

    def authenticate(self, request, key):
        return ApiKey.objects.holding(key)


class Anonymous:
    def __str__(self):
        return "anonymous"


ANONYMOUS = Anonymous()


class PerClientThrottle(BaseThrottle):
    def __init__(self):
        self.local = threading.local()

    def allow_request(self, request):
        holder = getattr(request, "auth", None)
        if isinstance(holder, ApiKey):
            ident, limit = f"key:{holder.pk}", holder.requests_per_minute
        else:
            ident, limit = f"address:{self.get_ident(request)}", settings.API_ANONYMOUS_PER_MINUTE
        now = time.time()
        window = int(now // WINDOW)
        self.local.wait = (window + 1) * WINDOW - now
        return not too_many(f"api-rate:{ident}:{window}", limit, WINDOW + 1, "API rate limit")

    def wait(self):
        return getattr(self.local, "wait", WINDOW)
