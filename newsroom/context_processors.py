from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import get_language, get_language_bidi

from core.models import SiteSettings
from press.models.languages import language_tag


def site(request):
    """The organization's brand (name, logo, colours: core.models.SiteSettings), looked up
    only by templates that show it (not sitemaps), and this page's canonical address (page
    numbers kept, other query parameters dropped)."""
    canonical = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    brand = SimpleLazyObject(SiteSettings.objects.current)

    def share_image_url():
        return request.build_absolute_uri(brand.share_image.url) if brand.share_image else ""

    return {
        "brand": brand,
        "newsroom_name": lazy(lambda: brand.name, str)(),
        "share_image_url": lazy(share_image_url, str)(),
        "canonical_url": canonical,
        "language_tag": language_tag(get_language()),
        "language_direction": "rtl" if get_language_bidi() else "ltr",
    }
