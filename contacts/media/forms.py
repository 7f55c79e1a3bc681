"""The forms of the media contacts admin: a contact, the list an action applies to, a merge."""

from django import forms
from django.db.models.functions import Lower

from contacts.models import MediaContact, MediaList, normalize_email


class MediaContactForm(forms.ModelForm):
    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        # Lower(email), as the unique index has it, so the index answers.
        others = MediaContact.objects.annotate(key=Lower("email")).exclude(pk=self.instance.pk)
        other = others.filter(key=email)
        if other.exists():
            raise forms.ValidationError(f"Another contact has this address: {other.first()}.")
        return email


class ChooseListForm(forms.Form):
    """The page between the changelist's "Add to list…" action and doing it."""

    media_list = forms.ModelChoiceField(MediaList.objects.all(), label="List")


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=MediaContact.objects.all())
    merge = forms.ModelMultipleChoiceField(queryset=MediaContact.objects.all())
