from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.models.codes import newsroom_language, newsroom_languages
from core.ids import IdMultipleChoiceField
from press.models import Topic

# The consent wording shown beside the box, and its version, stored with every sign-up so we
# can show what each subscriber agreed to. Change the version whenever the wording changes.
CONSENT_TEXT = _(
    "I agree to receive news from this newsroom by email; I can unsubscribe at any time."
)
CONSENT_TEXT_VERSION = "2026-11"


class EmailAddressField(forms.EmailField):
    """An address as Django's EmailValidator accepts it: internationalized domains
    (user@bücher.example) yes, non-ASCII local parts no. Line breaks and other control
    characters are refused first, with a message of their own: they are how a header gets
    injected into an email, and PostgreSQL refuses NUL in text."""

    def to_python(self, value):
        value = super().to_python(value)  # strips surrounding whitespace, a pasted newline too
        if any(ord(character) < 32 or ord(character) == 127 for character in value):
            raise forms.ValidationError(
                _("An email address cannot contain line breaks or other control characters."),
                code="control_characters",
            )
        return value


class PagePathField(forms.CharField):
    """The page a form was sent from: a path on this site, cut to fit the model field. Never
    an error, since the field is hidden and the reader could not correct it: anything else
    (another site, control characters, NUL) is cleaned away."""

    def to_python(self, value):
        value = "".join(c for c in super().to_python(value) if c.isprintable())
        if not value.startswith("/") or value.startswith("//"):
            return ""
        return value[:200]


class HoneypotField(forms.CharField):
    """A field only robots fill in. It never fails validation (not even on NUL, since it is
    never stored), so a robot learns nothing from the answer."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.validators = []


CHOOSE_LISTED_TOPICS = _("Please choose from the topics listed.")


def topic_choices(queryset):
    return IdMultipleChoiceField(
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
        help_text=_("Tick none to get everything we publish."),
        error_messages={
            "invalid_choice": CHOOSE_LISTED_TOPICS,
            "invalid_pk_value": CHOOSE_LISTED_TOPICS,
            "invalid_list": CHOOSE_LISTED_TOPICS,
        },
    )


def language_choice(**kwargs):
    """The language of our emails, among the newsroom's, each named in itself."""
    return forms.ChoiceField(
        choices=newsroom_languages,
        label=_("Language of our emails"),
        error_messages={"invalid_choice": _("Please choose one of the languages listed.")},
        **kwargs,
    )


class SubscribeForm(forms.Form):
    email = EmailAddressField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"max_length": _("An email address has at most 254 characters.")},
    )
    # Topics that have live releases; validated against the full list even where a page
    # offers only some of them (a release page offers its own topics).
    topics = topic_choices(Topic.objects.live())
    # Not required: a form cached before the field existed, or a page that leaves it out,
    # signs up in the language of the page (clean_language).
    language = language_choice(required=False)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Please tick the box to agree to receive our emails.")},
    )
    source = PagePathField(required=False, widget=forms.HiddenInput)
    website = HoneypotField(
        label=_("If you are a person, leave this field empty."),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = newsroom_language(get_language())

    def clean_language(self):
        return self.cleaned_data["language"] or newsroom_language(get_language())

    def is_robot(self):
        """True when the honeypot was filled in: answer as if all went well, store nothing."""
        return bool(self.cleaned_data.get("website"))


class PreferencesForm(forms.Form):
    """What a subscriber can change from the link in every email: the topics, the language
    of our emails, or a pause. The button pressed names the action."""

    action = forms.ChoiceField(
        choices=[
            ("topics", _("Save topics")),
            ("language", _("Save language")),
            ("pause", _("Pause")),
            ("resume", _("Resume")),
        ]
    )
    topics = topic_choices(Topic.objects.none())
    language = language_choice(required=False)

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        # Live topics, and those followed that have nothing live right now: saving the form
        # must never drop a topic the subscriber chose without them seeing it.
        live = Topic.objects.live().values("pk")
        self.fields["topics"].queryset = (
            Topic.objects.filter(Q(pk__in=live) | Q(subscribers=subscriber))
            .distinct()
            .order_by("name")
        )
        self.fields["language"].initial = subscriber.language

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "language" and not cleaned.get("language"):
            self.add_error("language", _("Please choose one of the languages listed."))
        return cleaned
