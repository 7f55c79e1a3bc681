"""Segments: saved filters of media contacts ("based in Korea or Japan and on the Water beat,
or tagged asia-desk"), whose members are worked out whenever they are asked for, at send time
above all, so a journalist added this morning is on this afternoon's send.

A segment's rules are a tree kept as JSON:

    {"join": "or", "groups": [
        {"join": "and", "conditions": [
            {"field": "country", "operator": "any_of", "values": ["KR", "JP"]},
            {"field": "beat", "operator": "is", "values": [12]}]},
        {"join": "and", "conditions": [
            {"field": "tag", "operator": "is", "values": [3]}]}]}

Groups of conditions, each group joined by AND or OR, the groups joined by AND or OR. Beats,
tags and outlets are named by their ids, so renaming one keeps the segment. The tree compiles
to one Q, so a segment is one query however many conditions it has: `rules_q`."""

import functools
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_countries import countries

from contacts.models.codes import LANGUAGE_NAMES
from contacts.models.media import (
    ContactTag,
    MediaContact,
    MediaList,
    Outlet,
    TaggedContact,
)
from press.models import Topic
from press.time_zones import validate_time_zone

Beat = MediaContact.beats.through

JOINS = {"and": "all of", "or": "any of"}
OPERATORS = {"is": "is", "is_not": "is not", "any_of": "is any of"}
# The conditions a segment may set, with their labels, in the editor's order.
FIELDS = {
    "country": "Country",
    "region": "Region or city",
    "language": "Language",
    "time_zone": "Time zone",
    "beat": "Beat",
    "tag": "Tag",
    "outlet": "Outlet",
    "outlet_type": "Outlet type",
}
# Fields whose values are ids of rows (beats, tags, outlets): the others are codes or text.
BY_ID = {"beat": Topic, "tag": ContactTag, "outlet": Outlet}


def empty_rules():
    return {"join": "or", "groups": []}


def condition_q(field, values):
    """The contacts whose `field` is any of `values`."""
    if field == "country":
        return models.Q(country__in=values)
    if field == "language":
        return models.Q(language__in=values)
    if field == "time_zone":
        return models.Q(time_zone__in=values)
    if field == "region":  # free text: "Seoul" is in "Seoul, East Asia"
        return functools.reduce(
            operator.or_, (models.Q(regions__icontains=value) for value in values)
        )
    if field == "outlet":
        return models.Q(outlet_id__in=values)
    if field == "outlet_type":
        return models.Q(outlet__in=Outlet.objects.filter(kind__in=values).values("pk"))
    # Many-to-many as a subquery, not a join: no contact counted twice, and "is not" means
    # "has no such beat" rather than "has some other beat".
    if field == "beat":
        return models.Q(pk__in=Beat.objects.filter(topic_id__in=values).values("mediacontact_id"))
    if field == "tag":
        tagged = TaggedContact.objects.filter(tag_id__in=values)
        return models.Q(pk__in=tagged.values("content_object_id"))
    raise ValueError(f"unknown field {field!r}")


def rules_q(rules):
    """The Q of a rule tree (already checked by `check_rules`). No condition at all matches
    nobody: an empty segment never sends to every contact."""
    groups = []
    for group in rules.get("groups", []):
        conditions = []
        for condition in group["conditions"]:
            q = condition_q(condition["field"], condition["values"])
            conditions.append(~q if condition["operator"] == "is_not" else q)
        if conditions:
            join = operator.and_ if group["join"] == "and" else operator.or_
            groups.append(functools.reduce(join, conditions))
    if not groups:
        return models.Q(pk__in=[])
    join = operator.and_ if rules["join"] == "and" else operator.or_
    return functools.reduce(join, groups)


def check_rules(rules):
    """The rule tree as stored: checked, values in their stored types (ids as numbers). Raises
    ValidationError with a message for editors, naming the group and condition."""
    if not isinstance(rules, dict) or not isinstance(rules.get("groups"), list):
        raise ValidationError("The rules are not a list of groups of conditions.")
    checked = {"join": _join(rules.get("join", "or")), "groups": []}
    for number, group in enumerate(rules["groups"], 1):
        if not isinstance(group, dict) or not isinstance(group.get("conditions"), list):
            raise ValidationError(f"Group {number} has no list of conditions.")
        conditions = [
            _checked_condition(condition, f"Group {number}, condition {index}")
            for index, condition in enumerate(group["conditions"], 1)
        ]
        if conditions:
            checked["groups"].append(
                {"join": _join(group.get("join", "and")), "conditions": conditions}
            )
    if not checked["groups"]:
        raise ValidationError("Add at least one condition.")
    return checked


def _join(value):
    if value not in JOINS:
        raise ValidationError(f"Groups are joined by “and” or “or”, not {value!r}.")
    return value


def _checked_condition(condition, where):
    if not isinstance(condition, dict):
        raise ValidationError(f"{where} is not a condition.")
    field, op = condition.get("field"), condition.get("operator")
    values = condition.get("values")
    if field not in FIELDS:
        raise ValidationError(f"{where}: choose what to filter on.")
    if op not in OPERATORS:
        raise ValidationError(f"{where}: choose “is”, “is not” or “is any of”.")
    if not isinstance(values, list):
        values = [] if values in (None, "") else [values]
    values = [value.strip() if isinstance(value, str) else value for value in values]
    values = [value for value in values if value not in ("", None)]
    label = FIELDS[field].lower()
    if not values:
        raise ValidationError(f"{where}: choose a {label}.")
    if op != "any_of" and len(values) > 1:
        raise ValidationError(f"{where}: “{OPERATORS[op]}” takes one {label}; use “is any of”.")
    return {"field": field, "operator": op, "values": [_value(field, v, where) for v in values]}


def _value(field, value, where):
    if field in BY_ID:
        model = BY_ID[field]
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = None
        if pk is None or not model.objects.filter(pk=pk).exists():
            raise ValidationError(f"{where}: there is no such {FIELDS[field].lower()} ({value}).")
        return pk
    value = str(value)
    if field == "country" and value.upper() not in countries:
        raise ValidationError(f"{where}: {value!r} is not a country code.")
    if field == "country":
        return value.upper()
    if field == "language" and value not in LANGUAGE_NAMES:
        raise ValidationError(f"{where}: {value!r} is not a language code.")
    if field == "time_zone":
        try:
            validate_time_zone(value)
        except ValidationError as error:
            raise ValidationError(f"{where}: {error.message}") from None
    if field == "outlet_type" and value not in Outlet.Kind.values:
        raise ValidationError(f"{where}: {value!r} is not an outlet type.")
    if field == "region" and len(value) > 100:
        raise ValidationError(f"{where}: a region is at most 100 characters.")
    return value


def describe(rules):
    """The rules in words: "Country is any of KR, JP and Beat is Water". Looks up the names of
    the beats, tags and outlets named (a query for each kind)."""
    ids = {field: set() for field in BY_ID}
    for group in rules.get("groups", []):
        for condition in group["conditions"]:
            if condition["field"] in BY_ID:
                ids[condition["field"]].update(condition["values"])
    names = {
        field: dict(BY_ID[field].objects.filter(pk__in=pks).values_list("pk", "name"))
        for field, pks in ids.items()
        if pks
    }
    groups = []
    for group in rules.get("groups", []):
        words = f" {group['join']} ".join(
            f"{FIELDS[c['field']]} {OPERATORS[c['operator']]} "
            + ", ".join(str(names.get(c["field"], {}).get(value, value)) for value in c["values"])
            for c in group["conditions"]
        )
        groups.append(f"({words})" if len(rules["groups"]) > 1 else words)
    return f" {rules.get('join', 'or')} ".join(groups)


class SegmentQuerySet(models.QuerySet):
    def refile_beats(self, merged_ids, kept_id):
        """Conditions on a beat merged into another (press.Topic.merge) name the kept one."""
        merged = set(merged_ids)
        for segment in self.only("rules"):
            changed = False
            for group in segment.rules.get("groups", []):
                for condition in group["conditions"]:
                    if condition["field"] == "beat" and merged & set(condition["values"]):
                        values = [kept_id if v in merged else v for v in condition["values"]]
                        condition["values"] = list(dict.fromkeys(values))
                        changed = True
            if changed:
                segment.save(update_fields=["rules"])


def follow_topic_merge(sender, kept, merged_ids, **kwargs):
    """Connected to press's topics_merged (ContactsConfig.ready)."""
    Segment.objects.refile_beats(merged_ids, kept.pk)


class Segment(models.Model):
    """A saved filter of media contacts, used as a list whose members are worked out when it
    is used: by a send, at the time it starts."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    rules = models.JSONField(default=empty_rules)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="segments",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def contacts(self):
        """Its members now: the contacts its rules match, erased ones left out."""
        return MediaContact.objects.filter(rules_q(self.rules), erased_at__isnull=True)

    def make_list(self, name, user):
        """A media list of its members as they are now, which stays as it is when they change.
        Returns the list and how many joined it."""
        media_list = MediaList.objects.create(
            name=name,
            description=f"Made from the segment “{self.name}” on "
            f"{timezone.localdate():%Y-%m-%d}: {describe(self.rules)}"[:2000],
            owner=user,
        )
        return media_list, media_list.add(self.contacts(), user)
