"""Who may open what: every role against every admin page of every registered model, and the
other URLs that are not public. Each case is one real request, judged by its status; a refusal
must also show nothing of the journalist planted in the database, Jane Reporter.

Roles: anonymous; a subscriber holding the signed link to their own preferences, which opens
for them (checked as they sign in below) and nothing else; staff in each editorial group (never
superusers).

Models are discovered from the admin site, so a model registered later is covered at once. The
policy for journalists' data, mailings and subscribers is written out below, not derived from the
groups' permissions: a grant added by mistake must fail here. Press models follow the groups'
permissions (press/roles.py); what each group may *do* to a release is
tests/press/test_permissions.py.
"""

import base64
import json

import pytest
from django.contrib import admin
from django.test import Client

from contacts.subscriptions.tokens import subscriber_token
from tests.factories import (
    make_draft,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_outlet,
    make_subscriber,
    make_user,
)

pytestmark = pytest.mark.django_db

ANONYMOUS, SUBSCRIBER = "anonymous", "subscriber with a signed link"
CONTRIBUTOR, EDITOR, PRESS_OFFICER, ADMINISTRATOR = (
    "Contributor",
    "Editor",
    "Press officer",
    "Administrator",
)
ROLES = [ANONYMOUS, SUBSCRIBER, CONTRIBUTOR, EDITOR, PRESS_OFFICER, ADMINISTRATOR]
STAFF = {CONTRIBUTOR, EDITOR, PRESS_OFFICER, ADMINISTRATOR}
CONTACTS_TEAM = {PRESS_OFFICER, ADMINISTRATOR}
INSIGHTS_READERS = {EDITOR, PRESS_OFFICER, ADMINISTRATOR}
NOBODY = frozenset()
# The insights pages: read by editors and the contacts team (journalists' names by the
# contacts team only); nothing to add.
INSIGHTS = ["overview", "topicinsights", "subscriberinsights", "journalistinsights"]

# The intended policy, by model (app_label.model_name). A contacts model not named here is the
# contacts team's; a model of another app not named here (and not of press) is nobody's: only
# superusers may see staff accounts, sign-in logs and the task queue.
CHANGELIST_POLICY = {
    "contacts.mediacontact": CONTACTS_TEAM,
    "contacts.medialist": CONTACTS_TEAM,
    "contacts.outlet": CONTACTS_TEAM,
    "contacts.importjob": CONTACTS_TEAM,
    "contacts.mailing": CONTACTS_TEAM,
    "contacts.delivery": CONTACTS_TEAM,
    "contacts.subscriber": CONTACTS_TEAM,
    "contacts.presscontact": CONTACTS_TEAM,
    "contacts.pressoffice": CONTACTS_TEAM,
    "core.sitesettings": CONTACTS_TEAM,  # the organization's name and look
    "auth.user": NOBODY,
    "auth.group": NOBODY,
    **{f"insights.{name}": INSIGHTS_READERS for name in INSIGHTS},
    "insights.journalistinsights": CONTACTS_TEAM,
}
# Rows nobody types in: deliveries are made by sending, import jobs by the import page; the
# site settings are one record, never added.
ADD_POLICY = {
    **CHANGELIST_POLICY,
    "contacts.delivery": NOBODY,
    "contacts.importjob": NOBODY,
    "core.sitesettings": NOBODY,
    **{f"insights.{name}": NOBODY for name in INSIGHTS},
}

MODELS = sorted(model._meta.label_lower for model in admin.site._registry)
JANE = ["Jane Reporter", "Reporter, Jane", "jane.reporter@example.org"]


def derived(permissions):
    """The policy of a press model: whoever the groups give one of `permissions`."""
    return lambda user: user is not None and any(user.has_perm(p) for p in permissions)


def policy_for(label, page):
    app, name = label.split(".")
    written = (CHANGELIST_POLICY if page == "changelist" else ADD_POLICY).get(label)
    if written is not None:
        return written
    if app == "press":
        codes = ["view", "change"] if page == "changelist" else ["add"]
        return derived([f"press.{code}_{name}" for code in codes])
    return CONTACTS_TEAM if app == "contacts" else NOBODY


# (name, method, path, data, who may): paths name objects of `world` in braces.
CASES = [
    ("admin index", "get", "/admin/", None, STAFF),
    ("own two-factor sign-in settings", "get", "/admin/two-factor/", None, STAFF),
    *[
        (f"{label} {page}", "get", f"/admin/{label.replace('.', '/')}/{suffix}", None,
         policy_for(label, page))
        for label in MODELS
        for page, suffix in (("changelist", ""), ("add", "add/"))
    ],
    ("admin preview of someone's draft", "get", "/admin/press/release/{draft}/preview/", None,
     derived(["press.view_release", "press.change_release"])),
    ("Jane's contact page", "get", "/admin/contacts/mediacontact/{jane}/change/", None,
     CONTACTS_TEAM),
    ("media list export", "get", "/admin/contacts/medialist/{media_list}/export/csv/", None,
     CONTACTS_TEAM),
    ("media contacts export (CSV)", "post", "/admin/contacts/mediacontact/",
     {"action": "export_csv", "_selected_action": "{jane}"}, CONTACTS_TEAM),
    ("media contacts export (Excel)", "post", "/admin/contacts/mediacontact/",
     {"action": "export_xlsx", "_selected_action": "{jane}"}, CONTACTS_TEAM),
    ("media contacts delete (confirmation)", "post", "/admin/contacts/mediacontact/",
     {"action": "delete_selected", "_selected_action": "{jane}"}, CONTACTS_TEAM),
    ("media contacts import", "get", "/admin/contacts/mediacontact/import/", None,
     CONTACTS_TEAM),
    ("media contacts duplicates", "get", "/admin/contacts/mediacontact/duplicates/", None,
     CONTACTS_TEAM),
    ("contacts autocomplete", "get",
     "/admin/autocomplete/?app_label=contacts&model_name=mailing&field_name=contacts&term=Jane",
     None, CONTACTS_TEAM),
    ("outlets autocomplete", "get",
     "/admin/autocomplete/?app_label=contacts&model_name=mediacontact&field_name=outlet&term=",
     None, CONTACTS_TEAM),
    ("mailing preview", "get", "/admin/contacts/mailing/{mailing}/preview/", None,
     CONTACTS_TEAM),
    ("a release's insights", "get", "/admin/insights/overview/release/{draft}/", None,
     INSIGHTS_READERS),
    ("the journalists' insights as CSV", "get",
     "/admin/insights/journalistinsights/?csv=most-engaged-contacts", None, CONTACTS_TEAM),
    ("another subscriber's preferences (own link, their id)", "get",
     "/subscribe/preferences/{tampered_token}/", None, NOBODY),
    ("another subscriber's unsubscribe (own link, their id)", "post",
     "/subscribe/unsubscribe/{tampered_token}/", {}, NOBODY),
]  # fmt: skip


def tampered(token, other_id):
    """The subscriber's own signed link with another subscriber's id put in, signature kept."""
    payload, rest = token.split(":", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**data, "id": other_id}).encode())
    return forged.decode().rstrip("=") + ":" + rest


@pytest.fixture
def world():
    jane = make_media_contact("Jane", "Reporter", email=JANE[2], outlet=make_outlet("The Daily"))
    me, other = make_subscriber("me@example.org"), make_subscriber("other@example.org")
    token = subscriber_token(me, "manage")
    return {
        "jane": jane.pk,
        "media_list": make_media_list("Reporter desks", contacts=[jane]).pk,
        "mailing": make_mailing(subject="Heat plan").pk,
        "draft": make_draft(author=make_user("colleague", CONTRIBUTOR)).pk,
        "own_token": token,
        "tampered_token": tampered(token, other.pk),
    }


def sign_in(role, world):
    client, user = Client(), None
    if role == SUBSCRIBER:
        # Holding their own link, and having used it: no account, no session.
        assert client.get(f"/subscribe/preferences/{world['own_token']}/").status_code == 200
    elif role in STAFF:
        user = make_user("me", role)
        client.force_login(user)
    return client, user


def test_every_registered_model_has_both_admin_pages_in_the_matrix():
    names = {name for name, *_ in CASES}
    assert {f"{label} {page}" for label in MODELS for page in ("changelist", "add")} <= names
    assert len(MODELS) >= 19


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "data", "policy"), CASES, ids=[c[0] for c in CASES]
)
def test_each_role_reaches_exactly_what_the_policy_allows(
    role, name, method, path, data, policy, world
):
    client, user = sign_in(role, world)
    allowed = policy(user) if callable(policy) else role in policy
    url = path.format(**world)
    data = {key: value.format(**world) for key, value in (data or {}).items()}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)

    if allowed:
        assert response.status_code == 200, f"{role} was refused {name}: {response.status_code}"
    elif user is None and url.startswith("/admin/"):
        assert response.status_code == 302, f"{role} reached {name}: {response.status_code}"
        assert response["Location"].startswith("/admin/login/")
    else:
        expected = 404 if "token" in path else 403
        assert response.status_code == expected, f"{role} reached {name}: {response.status_code}"
    if role not in CONTACTS_TEAM:
        body = b"".join(response) if response.streaming else response.content
        leaked = [text for text in JANE if text.encode() in body]
        assert leaked == [], f"{role} saw {leaked} on {name}"


@pytest.mark.parametrize("role", [PRESS_OFFICER, ADMINISTRATOR])
def test_the_contacts_team_does_see_jane_so_the_check_above_could_fail(role, world):
    client, _ = sign_in(role, world)
    assert JANE[2] in client.get("/admin/contacts/mediacontact/").content.decode()
    export = client.post(
        "/admin/contacts/mediacontact/",
        {"action": "export_csv", "_selected_action": world["jane"]},
    )
    assert JANE[2] in b"".join(export.streaming_content).decode()
    autocomplete = client.get(CASES_BY_NAME["contacts autocomplete"][2])
    assert "Reporter" in autocomplete.content.decode()


CASES_BY_NAME = {case[0]: case for case in CASES}


@pytest.mark.parametrize("role", sorted(STAFF))
def test_the_groups_grant_exactly_the_written_policy(role):
    """The same policy, asked of the permissions rather than the pages: a grant that the admin
    does not (yet) expose still shows here."""
    user = make_user("me", role)
    for label, who in CHANGELIST_POLICY.items():
        app, name = label.split(".")
        assert user.has_perm(f"{app}.view_{name}") is (role in who), (role, label)
