from django.urls import path

from contacts.mailings import views as mailings
from contacts.offices import views as offices
from contacts.subscriptions import views as subscriptions

app_name = "contacts"

# The subscription and opt-out links go out in emails: keep them working once published.
urlpatterns = [
    path("press-contacts/", offices.press_contacts, name="press-contacts"),
    path("subscribe/", subscriptions.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", subscriptions.confirm, name="confirm"),
    path("subscribe/preferences/<str:token>/", subscriptions.preferences, name="preferences"),
    path("subscribe/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("opt-out/<str:token>/", mailings.opt_out, name="opt-out"),
]
