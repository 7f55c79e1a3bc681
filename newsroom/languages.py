"""The language of a page is its address's: /es/... is Spanish, an address without a prefix is
English (i18n_patterns with prefix_default_language=False), whatever the browser asks for."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class AddressLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without its `Vary: Accept-Language`: with every language at
    an address of its own, the header never changes a page, and a shared cache (a CDN) that
    honoured it would keep one copy of each English page per browser language. The language
    ends with the response: a thread that served a Spanish page is English again for whatever
    it runs next (a test, a task), so nothing is saved in Spanish by mistake."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response
