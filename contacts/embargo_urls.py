from django.urls import path

from contacts.mailings.views import embargoed_release

app_name = "embargo"

# These links go out in emails to journalists: keep them working once sent.
urlpatterns = [
    path("<str:token>/", embargoed_release, name="release"),
]
