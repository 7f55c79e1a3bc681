"""Each public page type once, on the demo data (`load_demo`): what the page-wide checks visit
(axe in tests/browser/test_accessibility.py, the Nu HTML Checker in
tests/newsroom/test_html_validity.py), as bench/screenshots.py photographs them.

    from tests.public_pages import PAGES, status_of, subscriber_pages
"""

from contacts.subscriptions.tokens import subscriber_token
from press.models import Topic
from tests.factories import make_subscriber

REFERENCE_RELEASE = (
    "/releases/2021/09/23/resilient-cities-network-strengthens-ties-to-korea-adding-new-"
    "leadership-and-renewing-commitments-to-collaboration/"
)
PAGES = {
    "home": "/",
    "release list": "/releases/",
    "release year": "/releases/2021/",
    "reference release": REFERENCE_RELEASE,
    "topic list": "/topics/",
    "topic": "/topics/urban-resilience/",
    "people": "/leadership/",
    "person": "/people/lauren-sorkin/",
    "organization": "/organizations/resilient-cities-network/",
    "search": "/search/?q=resilience",
    "press contacts": "/press-contacts/",
    "subscribe": "/subscribe/",
    "not found": "/no-such-page/",
    "korean release": "/ko/releases/2023/09/12/seoul-smart-safety-checks-ko/",
    "arabic release": "/ar/releases/2023/09/12/seoul-smart-safety-checks-ar/",
    "spanish release list": "/es/releases/",
}
NOT_FOUND = {"not found", "expired link"}
# What a reader fills in on the sign-up form, to see the page that thanks them.
SIGN_UP = {"email": "reader@example.org", "consent": "on"}


def status_of(name):
    return 404 if name in NOT_FOUND else 200


def subscriber_pages():
    """{name: url} of the pages a subscriber opens from our emails, for a confirmed subscriber
    following one topic of the demo."""
    subscriber = make_subscriber(status="confirmed")
    subscriber.topics.set(Topic.objects.filter(slug="urban-resilience"))
    token = {purpose: subscriber_token(subscriber, purpose) for purpose in ("confirm", "manage")}
    return {
        "confirm": f"/subscribe/confirm/{token['confirm']}/",
        "preferences": f"/subscribe/preferences/{token['manage']}/",
        "unsubscribe": f"/subscribe/unsubscribe/{token['manage']}/",
        "expired link": "/subscribe/confirm/not-a-token/",
    }
