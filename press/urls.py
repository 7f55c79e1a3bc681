from django.urls import path, register_converter

from newsroom.caching import cache_public_page
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

urlpatterns = [
    path("", views.home, name="home"),
    path("releases/", views.release_list, name="release-list"),
    path(
        "releases/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.release_detail,
        name="release-detail",
    ),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", views.search, name="search"),
    path("topics/", views.topic_list, name="topic-list"),
    path("leadership/", views.leadership, name="leadership"),
    path("releases/<yyyy:year>/", views.release_archive, name="release-year"),
    path("releases/<yyyy:year>/<dd:month>/", views.release_archive, name="release-month"),
    path("feeds/releases/rss/", cache_public_page(AllReleasesFeed("rss")), name="release-feed-rss"),
    path(
        "feeds/releases/atom/", cache_public_page(AllReleasesFeed("atom")), name="release-feed-atom"
    ),
    path(
        "topics/<slug:slug>/feed/rss/", cache_public_page(TopicFeed("rss")), name="topic-feed-rss"
    ),
    path(
        "topics/<slug:slug>/feed/atom/",
        cache_public_page(TopicFeed("atom")),
        name="topic-feed-atom",
    ),
    path(
        "people/<slug:slug>/feed/rss/", cache_public_page(PersonFeed("rss")), name="person-feed-rss"
    ),
    path(
        "people/<slug:slug>/feed/atom/",
        cache_public_page(PersonFeed("atom")),
        name="person-feed-atom",
    ),
    path(
        "organizations/<slug:slug>/feed/rss/",
        cache_public_page(OrganizationFeed("rss")),
        name="organization-feed-rss",
    ),
    path(
        "organizations/<slug:slug>/feed/atom/",
        cache_public_page(OrganizationFeed("atom")),
        name="organization-feed-atom",
    ),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
]
