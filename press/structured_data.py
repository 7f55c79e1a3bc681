"""schema.org JSON-LD for search engines: NewsArticle, Person, Organization, BreadcrumbList."""

from django.conf import settings
from django.templatetags.static import static

from core.caching import cached_until_changed
from core.models import organization_name
from press.models import Organization


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def _image_url(request, field):
    return _absolute(request, field.url) if field else None


def organization(request, org):
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": org.name,
        # Its former names (prefetched by the organization page), which readers may know it by.
        "alternateName": [former.name for former in org.former_names.all()] or None,
        "url": org.website or _absolute(request, org.get_absolute_url()),
        "description": org.boilerplate or None,
        "logo": _image_url(request, org.logo),
        "parentOrganization": {"@type": "Organization", "name": org.parent.name}
        if org.parent_id
        else None,
    }
    return _without_empty(data)


def publisher(request):
    """The organization that runs the newsroom, with a logo as Google News asks."""
    # Kept until content changes: every release page names it.
    (org,) = cached_until_changed(
        "newsroom-organization",
        lambda: [Organization.objects.filter(slug=settings.NEWSROOM_ORGANIZATION).first()],
    )
    logo = _image_url(request, org.logo) if org and org.logo else None
    return {
        "@type": "Organization",
        "name": org.name if org else organization_name(),
        "logo": {
            "@type": "ImageObject",
            "url": logo or request.build_absolute_uri(static("img/logo.png")),
        },
    }


def news_article(request, release):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title[:110],
        "inLanguage": release.language_tag,
        "description": release.summary or None,
        "datePublished": release.published_at.isoformat() if release.published_at else None,
        "dateModified": release.modified_at.isoformat() if release.modified_at else None,
        "author": {
            "@type": "Organization",
            "name": release.printed_byline,
            "url": _absolute(request, release.byline.get_absolute_url()),
        },
        "publisher": publisher(request),
        "image": [_image_url(request, release.featured_image)] if release.featured_image else None,
        "keywords": [topic.name for topic in release.topics.all()] or None,
        "dateline": release.dateline or None,
        "mainEntityOfPage": _absolute(request, release.get_absolute_url()),
    }
    return _without_empty(data)


def person(request, person, roles):
    current = [role for role in roles if role.is_current()]
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "honorificPrefix": person.honorific or None,
        "description": person.bio or None,
        "url": _absolute(request, person.get_absolute_url()),
        "image": _image_url(request, person.photo),
        "jobTitle": [role.title for role in current] or None,
        "worksFor": [{"@type": "Organization", "name": role.organization.name} for role in current]
        or None,
    }
    return _without_empty(data)


def breadcrumb_list(request, crumbs):
    """`crumbs`: (name, url) pairs from the home page down to the current page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": _absolute(request, url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def _without_empty(data):
    return {key: value for key, value in data.items() if value is not None}
