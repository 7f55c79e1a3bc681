"""{% kept %}: a part of a page rendered once and kept until content changes.

    {% load kept %}
    {% kept "release-page" release.dateline_date release.slug %}...{% endkept %}

What the block renders is kept in the shared cache (core.caching.kept_per_address: until
content changes or the next scheduled moment, a few minutes at most) under its name, the
values after it, the language, the site's host and the page's query (declared parameters with
plain values only: see below): a page served again renders only what is around it. Django's
{% cache %} would keep a part for a fixed time, stale after a publish.

A block must hold nothing of the reader (no CSRF token, no messages), and be keyed on values
the view has checked (a release found, a page number validated). Parts are kept only where the
page cache would keep the page (core.page_cache.page_is_kept()): in a @cache_public_page view,
for a query of declared parameters with plain values (the links a part shows keep the query),
at an address that is a page (not a list with invalid filters, say). A draft's preview or an
embargoed release, rendered by other views, renders every part afresh.

    {% kept "search-results" query page.number only %}...{% endkept %}

A part ending in `only` is keyed on its values alone, not on the page's query, and kept in any
view (core.caching.kept_per_query: a minute at most): for parts of what a reader typed (a
search's results), whose links are built from those values only, never from the query string.

    {% kept "site-footer" only unscheduled %}...{% endkept %}

A part ending in `unscheduled` shows nothing a scheduled publication changes (the site's
header and footer): it is kept past the next scheduled moment, and its first rendering after a
change does not look that moment up.
"""

from django import template
from django.utils.safestring import mark_safe

from core.caching import kept_per_address, kept_per_query
from core.page_cache import page_is_kept, part_name

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, vary_on, only, scheduled):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.only = only
        self.scheduled = scheduled

    def render(self, context):
        request = context.get("request")
        if request is None or not (self.only or page_is_kept()):
            return self.nodelist.render(context)
        values = [value.resolve(context) for value in self.vary_on]
        key = part_name(request, self.name.resolve(context), values, only=self.only)

        def rendered():
            return str(self.nodelist.render(context))

        if self.only:
            return mark_safe(kept_per_query(key, rendered, scheduled=self.scheduled))
        # Without a lock: what the part shows is kept (and locked) itself; rendering it is
        # cheap next to the lock's two round trips on the first request after a change.
        return mark_safe(kept_per_address(key, rendered, locked=False, scheduled=self.scheduled))


@register.tag
def kept(parser, token):
    """{% kept "name" value... %}...{% endkept %}: see the module's docstring."""
    bits = token.split_contents()
    scheduled = bits[-1] != "unscheduled"
    if not scheduled:
        bits.pop()
    only = bits[-1] == "only"
    if only:
        bits.pop()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
        only,
        scheduled,
    )
