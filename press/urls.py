from django.urls import path, register_converter

from core.page_cache import cache_public_page
from press import views
from press.feeds import AllReleasesFeed, OrganizationFeed, PersonFeed, TopicFeed


class TwoDigits:
    """Months and days as in the printed address, zero-padded: /releases/2021/09/23/..."""

    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class FourDigits(TwoDigits):
    regex = "[1-9][0-9]{3}"  # year 0 does not exist

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(TwoDigits, "dd")
register_converter(FourDigits, "yyyy")

app_name = "press"


def feed_paths(prefix, feed_class, name):
    """The RSS and Atom addresses of a feed (`<name>-feed-rss`, `<name>-feed-atom`), cached
    like the pages."""
    return [
        path(
            f"{prefix}{kind}/",
            cache_public_page(feed_class(kind)),
            name=f"{name}-feed-{kind}",
        )
        for kind in ("rss", "atom")
    ]


# A release's page: the page cache counts its reads by its address too (press.apps).
release_page = path(
    "releases/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
    views.release_detail,
    name="release-detail",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("releases/", views.release_list, name="release-list"),
    release_page,
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", views.search, name="search"),
    path("topics/", views.topic_list, name="topic-list"),
    path("leadership/", views.leadership, name="leadership"),
    path("releases/<yyyy:year>/", views.release_archive, name="release-year"),
    path("releases/<yyyy:year>/<dd:month>/", views.release_archive, name="release-month"),
    *feed_paths("feeds/releases/", AllReleasesFeed, "release"),
    *feed_paths("topics/<slug:slug>/feed/", TopicFeed, "topic"),
    *feed_paths("people/<slug:slug>/feed/", PersonFeed, "person"),
    *feed_paths("organizations/<slug:slug>/feed/", OrganizationFeed, "organization"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
]
