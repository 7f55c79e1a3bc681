from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import get_language, get_language_bidi

from core.models import SiteSettings
from press.models.languages import language_tag


def _name(brand):
    return brand.name


def _share_image_url(request, brand):
    return request.build_absolute_uri(brand.share_image.url) if brand.share_image else ""


# Made once: lazy() builds a class each time it is called (a tenth of a millisecond a page).
lazy_name = lazy(_name, str)
lazy_share_image_url = lazy(_share_image_url, str)


def site(request):
    """The organization's brand (name, logo, colours: core.models.SiteSettings), looked up
    only by templates that show it (not sitemaps), and this page's canonical address (page
    numbers kept, other query parameters dropped)."""
    canonical = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    brand = SimpleLazyObject(SiteSettings.objects.current)
    return {
        "brand": brand,
        "newsroom_name": lazy_name(brand),
        "share_image_url": lazy_share_image_url(request, brand),
        "canonical_url": canonical,
        "language_tag": language_tag(get_language()),
        "language_direction": "rtl" if get_language_bidi() else "ltr",
    }
