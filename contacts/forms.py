from django import forms


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label="I agree to receive news from this newsroom by email; I can unsubscribe at any time.",
        error_messages={"required": "Please tick the box to agree to receive our emails."},
    )
    source = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
