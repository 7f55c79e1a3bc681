from django.urls import path

from contacts import views

app_name = "contacts"

# The subscription links go out in emails: keep them working once published.
urlpatterns = [
    path("press-contacts/", views.press_contacts, name="press-contacts"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/preferences/<str:token>/", views.preferences, name="preferences"),
    path("subscribe/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
