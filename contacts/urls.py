from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("press-contacts/", views.press_contacts, name="press-contacts"),
    path("subscribe/", views.subscribe, name="subscribe"),
]
