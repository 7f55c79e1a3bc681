from django.urls import path

from contacts.mailings.views import clicked, opened

app_name = "tracking"

# These addresses go out in emails to journalists: keep them working once sent.
urlpatterns = [
    path("o/<str:token>/", opened, name="open"),
    path("c/<str:token>/", clicked, name="click"),
]
