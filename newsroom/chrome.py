"""The site's header and footer (templates/base.html) are the same on every page of a language:
kept as parts ({% kept "site-header" only unscheduled %}, and the footer alike) and read ahead
with the page's first look-up of a kept value, so that a page renders neither and makes no
round trip more for them."""

from core.page_cache import read_part_ahead

# The parts base.html keeps, by the names it gives them.
PARTS = ("site-header", "site-footer")


class ReadChromeAheadMiddleware:
    """After the language is known (AddressLanguageMiddleware): the parts are kept per language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            for name in PARTS:
                read_part_ahead(request, name, only=True)
        return self.get_response(request)
