"""RSS 2.0 and Atom feeds of live releases: all of them, and per topic, person and organization.

Each feed class serves both formats: the URLconf builds one instance per format,
`TopicFeed("rss")` and `TopicFeed("atom")`, so the two can never disagree about what is in them.
"""

import contextvars
import html
import io
import re

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from core.caching import kept_per_address
from core.models import organization_name
from press.models import Organization, Person, Release, Topic, TopicRedirect
from press.models.release_queries import BYLINE_ABOUT

FEED_LENGTH = 20
# Words of body text standing in for a missing summary.
SUMMARY_WORDS = 60


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full body in <content:encoded>, where readers look for it; the
    <description> stays the short summary."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(Atom1Feed):
    """Atom with the full body as <content type="html"> beside the <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class KeptItems:
    """A feed generator whose items can be written from XML written before (`kept_items`: the
    XML and the latest item's date), by the same class for the same items: see
    ReleaseFeed.get_feed()."""

    kept_items = None

    def write_items(self, handler):
        if self.kept_items is None:
            super().write_items(handler)
        else:
            # Written as it is, not escaped again: it is the XML this class wrote.
            handler.ignorableWhitespace(self.kept_items[0])

    def latest_post_date(self):
        if self.kept_items is None:
            return super().latest_post_date()
        return self.kept_items[1]

    def written_items(self):
        """The items' XML, and the latest item's date, to keep; None for no items."""
        if not self.items:
            return None
        out = io.StringIO()
        super().write_items(SimplerXMLGenerator(out, "utf-8", short_empty_elements=True))
        return out.getvalue(), super().latest_post_date()


class KeptRss(KeptItems, RssWithContent):
    pass


class KeptAtom(KeptItems, AtomWithContent):
    pass


FEED_TYPES = {"rss": KeptRss, "atom": KeptAtom}
# Set while a feed's channel is built around items written before (ReleaseFeed.get_feed()).
_channel_only = contextvars.ContextVar("feed_channel_only", default=False)


def plain_text(body):
    """The words of an HTML body, paragraphs kept apart by a space."""
    spaced = re.sub(r"</(p|h\d|li|blockquote)>|<br\s*/?>|<hr\s*/?>", r"\g<0> ", body)
    return " ".join(html.unescape(strip_tags(spaced)).split())


class ReleaseFeed(Feed):
    """What every release feed shares: how a release becomes an item."""

    def __init__(self, format="rss"):
        self.format, self.feed_type = format, FEED_TYPES[format]

    def live_releases(self):
        # The byline (author) joined and the topics (categories) prefetched: the same number of
        # queries for 1 or 20 items. The body is the item's content; the search vector is not.
        # A feed under a language's prefix (/es/feeds/...) holds the releases in that language.
        return (
            Release.objects.live()
            .in_language(get_language())
            .select_related("byline")
            .defer("search_vector", *BYLINE_ABOUT)
            .prefetch_related("topics")
        )

    def get_feed(self, obj, request):
        """Django's feed, its items written once per content change: their XML is kept (a few
        minutes at most, an empty feed never) under the feed's address (its format and object)
        and language. A feed read again builds its channel (title, links, description, the
        latest date) and writes the kept items as they are: no query, no item built, no body
        escaped again."""
        address = f"{request.scheme}://{request.get_host()}{request.path}"
        kept = kept_per_address(
            f"feed-items:{get_language()}:{address}",
            lambda: super(ReleaseFeed, self).get_feed(obj, request).written_items(),
        )
        token = _channel_only.set(True)
        try:
            feed = super().get_feed(obj, request)
        finally:
            _channel_only.reset(token)
        feed.kept_items = kept
        return feed

    def items(self, obj=None):
        """The feed's live releases, newest first; none while only its channel is built."""
        if _channel_only.get():
            return []
        return list(self.releases(obj)[:FEED_LENGTH])

    def description(self, obj=None):
        """RSS readers show the channel's <description> as HTML: the text is escaped for it."""
        text = self.about(obj)
        return escape(text) if self.feed_type is FEED_TYPES["rss"] else text

    def subtitle(self, obj=None):
        # Atom's name for the description, plain text; RSS ignores it.
        return self.about(obj)

    def item_title(self, item):
        # Plain text in both formats; the feed generator escapes it for XML. (Django's default
        # escapes it once more, which shows "&amp;" in Atom readers.)
        return item.title

    def item_description(self, item):
        """The summary, else the start of the body, as HTML-escaped plain text: both RSS
        <description> and Atom <summary type="html"> are read as HTML."""
        text = item.summary or Truncator(plain_text(item.body_with_quotes())).words(SUMMARY_WORDS)
        return escape(text)

    def item_extra_kwargs(self, item):
        # The body was sanitized by nh3 when it was saved.
        return {"content": item.body_with_quotes()}

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return item.printed_byline

    def item_categories(self, item):
        return sorted(topic.name for topic in item.topics.all())

    item_guid_is_permalink = True


class AllReleasesFeed(ReleaseFeed):
    def title(self):
        return _("%(newsroom)s: press releases") % {"newsroom": organization_name()}

    def link(self):
        return reverse("press:release-list")

    def about(self, obj=None):
        return _("The latest press releases from %(newsroom)s.") % {"newsroom": organization_name()}

    def releases(self, obj=None):
        return self.live_releases()


class TopicFeed(ReleaseFeed):
    def __call__(self, request, slug):
        try:
            return super().__call__(request, slug=slug)
        except Http404:
            # The feed of a topic merged into another: the kept topic's feed.
            moved = TopicRedirect.objects.filter(slug=slug).select_related("topic").first()
            if moved is None:
                raise
            url = reverse(f"press:topic-feed-{self.format}", args=[moved.topic.slug])
            return HttpResponsePermanentRedirect(url)

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"{organization_name()}: {topic.name}"

    def link(self, topic):
        return topic.get_absolute_url()

    def about(self, topic):
        return topic.description or _("Press releases about %(topic)s.") % {"topic": topic.name}

    def items(self, topic):
        releases = super().items(topic)
        if not releases and not _channel_only.get():
            # As on the topic page: a topic used only by drafts or scheduled releases would give
            # their subject away.
            raise Http404("No live release has this topic.")
        return releases

    def releases(self, topic):
        return self.live_releases().filter(tagged_items__tag=topic)


class PersonFeed(ReleaseFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug)

    def title(self, person):
        return f"{organization_name()}: {person.name}"

    def link(self, person):
        return person.get_absolute_url()

    def about(self, person):
        return _("Press releases mentioning %(person)s.") % {"person": person.name}

    def releases(self, person):
        return self.live_releases().filter(people=person)


class OrganizationFeed(ReleaseFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Organization, slug=slug)

    def title(self, organization):
        return f"{organization_name()}: {organization.name}"

    def link(self, organization):
        return organization.get_absolute_url()

    def about(self, organization):
        return _("Press releases by or mentioning %(organization)s.") % {
            "organization": organization.name
        }

    def releases(self, organization):
        # Written by the organization or mentioning it, as its page lists them. The subquery
        # keeps one row per release where a join on both would repeat it.
        ids = Release.objects.filter(organizations=organization).values("pk")
        return self.live_releases().filter(Q(byline=organization) | Q(pk__in=ids))


def feed_links(obj=None):
    """The feeds a page offers for autodiscovery, as {"title", "rss", "atom"}: the feed of
    `obj` (a topic, person or organization) first, since readers that take one link take the
    first, then the site-wide feed."""
    links = []
    if isinstance(obj, Topic | Person | Organization):
        kind = obj._meta.model_name
        links.append(
            {
                "title": f"{organization_name()}: {obj}",
                "rss": reverse(f"press:{kind}-feed-rss", args=[obj.slug]),
                "atom": reverse(f"press:{kind}-feed-atom", args=[obj.slug]),
            }
        )
    links.append(
        {
            "title": _("%(newsroom)s: press releases") % {"newsroom": organization_name()},
            "rss": reverse("press:release-feed-rss"),
            "atom": reverse("press:release-feed-atom"),
        }
    )
    return links
