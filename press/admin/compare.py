"""The revision compare view's quotes: each quote's text and attribution in full, the change
marked inside them (django-reversion-compare would show each quote's name, cut at 60
characters, and mark the whole line)."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from reversion_compare.helpers import dmp

from press.models import Person, Quote

# diff-match-patch's operations: deleted, equal, inserted.
MARKS = {-1: "<del>{}</del>", 0: "{}", 1: "<ins>{}</ins>"}


class QuoteCompare:
    """For a CompareVersionAdmin of releases: reversion-compare calls compare_<field name>."""

    def compare_quotes(self, obj_compare):
        # Read from the two revisions themselves: reversion-compare lists a version's quotes
        # from the database as it is now, which misses a quote deleted since.
        release_id = obj_compare.obj.pk
        old, new = (
            _quotes_in(compared.version_record, release_id)
            for compared in (obj_compare.compare_obj1, obj_compare.compare_obj2)
        )
        fields = [(old.get(key), new.get(key)) for key in old.keys() | new.keys()]
        people = Person.objects.in_bulk(
            {values["person_id"] for pair in fields for values in pair if values}
        )
        quotes = [_quote_change(before, after, people) for before, after in fields]
        quotes.sort(key=lambda quote: (quote["order"], quote["status"] != "Removed"))
        return render_to_string("admin/press/release/compare_quotes.html", {"quotes": quotes})


def _quotes_in(version, release_id):
    """The quotes of the release as saved in `version`'s revision: {quote id: fields}."""
    kept = version.revision.version_set.filter(
        content_type=ContentType.objects.get_for_model(Quote)
    )
    quotes = {quote.object_id: quote.field_dict for quote in kept}
    return {key: fields for key, fields in quotes.items() if fields["release_id"] == release_id}


def _quote_change(old, new, people):
    """One quote between two versions: its text and attribution, in full, changes marked."""
    latest = new or old
    speaker = str(people.get(latest["person_id"], "—"))
    if old and new:
        status = "Unchanged" if old == new else "Changed"
        if old["person_id"] != new["person_id"]:
            speaker = f"{people.get(old['person_id'], '—')} → {speaker}"
        text, attribution = (_changed(old[name], new[name]) for name in ("text", "attribution"))
    else:
        status, mark = ("Added", "<ins>{}</ins>") if new else ("Removed", "<del>{}</del>")
        text, attribution = (
            format_html(mark, latest[name]) if latest[name] else ""
            for name in ("text", "attribution")
        )
    return {
        "status": status,
        "order": latest["order"],
        "speaker": speaker,
        "text": text,
        "attribution": attribution,
    }


def _changed(old, new):
    """The value, or, when it changed, the whole of both with the words that went marked as
    deleted and those that came as inserted, to read as running text."""
    if old == new:
        return old
    diff = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(diff)
    return mark_safe("".join(format_html(MARKS[op], part) for op, part in diff))
