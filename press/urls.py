from django.urls import path, register_converter

from press import views


class TwoDigits:
    """Months and days as in the printed address, zero-padded: /releases/2021/09/23/..."""

    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class FourDigits(TwoDigits):
    regex = "[0-9]{4}"

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
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
]
