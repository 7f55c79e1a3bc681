from django.shortcuts import render

from contacts.models import PressContact


def press_contacts(request):
    return render(
        request,
        "contacts/press_contacts.html",
        {"contacts": PressContact.objects.public().by_office()},
    )
