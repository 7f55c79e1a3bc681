from django.contrib import messages
from django.shortcuts import redirect, render

from contacts.forms import SubscribeForm
from contacts.models import PressContact, Subscriber


def press_contacts(request):
    return render(
        request,
        "contacts/press_contacts.html",
        {"contacts": PressContact.objects.public().by_office()},
    )


def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            Subscriber.objects.sign_up(
                form.cleaned_data["email"], source=form.cleaned_data["source"]
            )
            # The same answer whether the address is new or known, so nobody can probe our list.
            messages.success(request, "Thank you. Please check your inbox to confirm.")
            return redirect("contacts:subscribe")
    else:
        form = SubscribeForm()
    return render(request, "contacts/subscribe.html", {"form": form})
