import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from reversion.models import Revision, Version

from core.ids import IdChoiceField
from core.page_cache import page_not_kept
from press.models import PreviewDecision, PreviewLink, Quote, Release, Role, Topic


def topic_choice_field(**kwargs):
    """Topics of a release: chosen among those that exist, never made by typing a name."""
    return forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        required=False,
        label="Topics",
        help_text="Pick from the list; type part of a name to find it.",
        error_messages={
            "invalid_pk_value": "Pick topics from the list: “%(pk)s” is not one of them.",
            "invalid_choice": "That topic no longer exists: pick another.",
        },
        **kwargs,
    )


class ReleaseAdminForm(forms.ModelForm):
    """The editor's release form.

    Publication and expiry times are typed and shown in the dateline's time zone, and a save
    is refused when someone else saved the release after this form was opened.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    is_correction = forms.BooleanField(
        required=False,
        label="This change corrects the published release",
        help_text='Readers will see "Updated <date>: <note>" and feeds will show the new time.',
    )
    correction_note = forms.CharField(
        required=False,
        max_length=300,
        help_text='What was corrected, in a few words: shown as "Updated <date>: <note>".',
    )
    topics = topic_choice_field()
    # Chosen when the release is made (read-only afterwards); "Translate" makes the others.
    language = forms.TypedChoiceField(
        choices=settings.LANGUAGES, required=False, empty_value=settings.LANGUAGE_CODE
    )

    class Meta:
        model = Release
        fields = [
            "title", "slug", "language", "subtitle", "summary", "body", "byline",
            "dateline_place", "dateline_date", "dateline_time_zone", "dateline_override",
            "published_at", "expires_at", "byline_name",
            "topics", "people", "organizations", "media_contact", "pinned_related",
            "featured_image", "featured_image_alt", "featured_image_caption",
            "featured_image_credit", "featured_image_licence", "boilerplate",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("published_at", "expires_at"):
            value = getattr(self.instance, name)
            if name in self.fields and value:
                self.initial[name] = timezone.localtime(value, self.instance.tz).replace(
                    tzinfo=None
                )
        if self.instance.pk:
            # From the database, not the instance: a version being restored carries its old time.
            self.initial["loaded_version"] = self.current_version().isoformat()

    def current_version(self):
        return Release.objects.values_list("updated_at", flat=True).get(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        self.read_times_in_dateline_zone(cleaned)
        if self.instance.pk:
            self.refuse_if_saved_meanwhile(cleaned)
        pinned = cleaned.get("pinned_related") or []
        if len(pinned) > 3:
            self.add_error("pinned_related", "Choose at most three releases.")
        if self.instance.pk and any(other.pk == self.instance.pk for other in pinned):
            self.add_error("pinned_related", "A release cannot be related to itself.")
        if cleaned.get("is_correction") and not cleaned.get("correction_note", "").strip():
            self.add_error("correction_note", "Say in a few words what was corrected.")
        return cleaned

    def read_times_in_dateline_zone(self, cleaned):
        """The form field read the typed wall time in the server's zone; read it again in the
        dateline's, which is the zone the form shows."""
        zone = Release(
            dateline_time_zone=cleaned.get("dateline_time_zone") or self.instance.dateline_time_zone
        ).tz
        for name in ("published_at", "expires_at"):
            if cleaned.get(name):
                cleaned[name] = timezone.make_aware(timezone.make_naive(cleaned[name]), zone)

    def refuse_if_saved_meanwhile(self, cleaned):
        loaded = parse_datetime(cleaned.get("loaded_version") or "")
        current = self.current_version()
        if loaded == current:
            return
        editor = Release.objects.select_related("last_edited_by").get(pk=self.instance.pk)
        who = editor.last_edited_by
        name = (who.get_full_name() or who.get_username()) if who else "Someone"
        # Let a second save go through on purpose: the hidden version now matches.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current.isoformat()
        raise forms.ValidationError(
            f"{name} saved this release at {editor.format_time(current)} while you were "
            "editing. Nothing of yours is lost: check their changes (History, in a new tab), "
            "then save again to replace them with yours.",
            code="edit_conflict",
        )


class TopicMergeForm(forms.Form):
    """Which of the topics chosen to merge is kept."""

    kept = forms.ModelChoiceField(
        Topic.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this topic",
        help_text="The others are merged into it and deleted.",
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kept"]
        field.queryset = Topic.objects.filter(pk__in=[topic.pk for topic in topics])
        counts = {topic.pk: getattr(topic, "release_count", 0) for topic in topics}
        field.label_from_instance = lambda topic: (
            f"{topic.name} ({plural(counts.get(topic.pk, 0), 'release')}), "
            f"at {topic.get_absolute_url()}"
        )
        if topics:
            self.initial.setdefault("kept", topics[0].pk)


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role):
        return f"{role.label} ({role.span})"


class QuoteForm(forms.ModelForm):
    """A quote in the release form: the roles offered are the speaker's (the page fetches
    them again when another speaker is chosen), with their dates."""

    class Meta:
        model = Quote
        fields = ["person", "text", "role", "second_role", "attribution", "order"]
        field_classes = {"role": RoleChoiceField, "second_role": RoleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.data.get(self.add_prefix("person")) if self.is_bound else None
        person = person or self.instance.person_id
        roles = Role.objects.none()
        if str(person or "").isdigit():
            roles = Role.objects.filter(person_id=person).select_related("organization")
            roles = roles.oldest_first()
        for name in ("role", "second_role"):
            if name in self.fields:
                # A plain list: adding or editing a role happens on the person's page.
                self.fields[name].widget = forms.Select()
                self.fields[name].queryset = roles

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("role"), cleaned.get("second_role")
        if second and not first:
            cleaned["role"], cleaned["second_role"] = second, None
        elif first and first == second:
            self.add_error("second_role", "Choose another role, or leave this one empty.")
        return cleaned


class TransitionForm(forms.Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to use the release's publication time (now if it has none). Read "
        "in the dateline's time zone.",
    )

    def __init__(self, *args, release, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value:
            return timezone.make_aware(timezone.make_naive(value), self.release.tz)
        return value


class PreviewLinkForm(forms.ModelForm):
    days = forms.IntegerField(min_value=1, max_value=90, initial=7, label="Valid for (days)")

    class Meta:
        model = PreviewLink
        fields = ["note"]

    def save(self, commit=True):
        """The link, valid for the days asked from now."""
        days = datetime.timedelta(days=self.cleaned_data["days"])
        self.instance.expires_at = timezone.now() + days
        return super().save(commit)


class PreviewDecisionForm(forms.ModelForm):
    """An approver's answer. The version they read travels with the page, so an edit made
    while they were reading is not what they approve."""

    class Meta:
        model = PreviewDecision
        fields = ["name", "comment", "decision", "revision"]
        widgets = {
            "decision": forms.HiddenInput,
            "revision": forms.HiddenInput,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"revision": IdChoiceField}

    def __init__(self, *args, release, **kwargs):
        versions = Version.objects.get_for_object(release)
        latest = versions.first()
        super().__init__(*args, initial={"revision": latest and latest.revision_id}, **kwargs)
        self.fields["revision"].queryset = Revision.objects.filter(
            pk__in=versions.values("revision_id")
        )

    def clean(self):
        cleaned = super().clean()
        asks_changes = cleaned.get("decision") == PreviewDecision.Decision.REQUEST_CHANGES
        if asks_changes and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Please say what should change.")
        return cleaned


class ReleaseFilterForm(forms.Form):
    """The filters of the public release list; unknown values simply match nothing. A list
    matching nothing is not kept in the page cache, as there is no end of such addresses: an
    invalid filter says so here, an unknown name through the paginator's count of 0."""

    topic = forms.SlugField(required=False)
    organization = forms.SlugField(required=False)
    person = forms.SlugField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)

    def apply(self, releases, year=None, month=None):
        if not self.is_valid():
            page_not_kept()
            return releases.none()
        data = self.cleaned_data
        if data["topic"]:
            releases = releases.filter(tagged_items__tag__slug=data["topic"])
        if data["organization"]:
            releases = releases.filter(
                Q(byline__slug=data["organization"]) | Q(organizations__slug=data["organization"])
            ).distinct()
        if data["person"]:
            releases = releases.filter(people__slug=data["person"])
        year = year or data["year"]
        if year:
            releases = releases.filter(dateline_date__year=year)
        if month:
            releases = releases.filter(dateline_date__month=month)
        return releases

    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.values())
