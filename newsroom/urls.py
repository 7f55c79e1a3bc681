from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from core.page_cache import cache_public_page
from newsroom.two_factor import StaffAuthenticationForm, settings_view
from newsroom.views import robots_txt
from newsroom.webhooks import tracking_webhooks
from press.sitemaps import SITEMAPS, NewsSitemap

admin.site.login_form = StaffAuthenticationForm

urlpatterns = [
    path("admin/two-factor/", admin.site.admin_view(settings_view), name="admin-two-factor"),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        cache_public_page(sitemaps_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_public_page(sitemaps_views.sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        cache_public_page(sitemaps_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "press/news_sitemap.xml"},
        name="news-sitemap",
    ),
    path("api/", include("api.urls")),
    path("embargo/", include("contacts.embargo_urls")),
    path("anymail/", include((tracking_webhooks(), "anymail"))),
    path("mail/", include("contacts.tracking_urls")),
]
# The readers' pages, in each language: English at today's addresses, which are a contract with
# readers and search engines (/releases/...), the others under their prefix (/es/releases/...).
urlpatterns += i18n_patterns(
    path("", include("contacts.urls")),
    path("", include("press.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
