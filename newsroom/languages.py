"""The language of a page is its address's: /es/... is Spanish, an address without a prefix is
English (i18n_patterns with prefix_default_language=False), whatever the browser asks for."""

from django.middleware.locale import LocaleMiddleware
from django.utils.translation import get_language


class AddressLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without its `Vary: Accept-Language`: with every language at
    an address of its own, the header never changes a page, and a shared cache (a CDN) that
    honoured it would keep one copy of each English page per browser language."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", get_language())
        return response
