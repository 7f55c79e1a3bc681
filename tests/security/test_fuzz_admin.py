"""Every registered ModelAdmin, fuzzed with Hypothesis as a signed-in editor, press officer and
superuser: each changelist's query parameters (those its filters read, and others), the
autocomplete behind every autocomplete field, actions posted with forged selections, change
forms opened with impossible ids and posted with junk, and each admin's own extra pages.
Whatever comes in, the answer is a page, a redirect with a message or a refusal (400, 403, 404),
never a 500. NUL is fuzzed too: the admin refuses it in one place (newsroom/admin_site.py).

Admins are found on the site, so one registered later is fuzzed at once. Each admin gets
FUZZ_EXAMPLES // 10 examples (at least 2) per role and kind, about a minute in all; FUZZ_EXAMPLES
and FUZZ_SHRINK work as in test_fuzz.py.
"""

import re
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_media_list,
    make_person,
    make_press_contact,
    make_quote,
    make_release,
    make_role,
    make_subscriber,
    make_topic,
    make_user,
)
from tests.security.test_fuzz import EXAMPLES, NUMBERS, ODD, TEXT, fuzz

pytestmark = pytest.mark.django_db

per_admin = hypothesis_settings(fuzz, max_examples=max(2, EXAMPLES // 10))
ALLOWED = {200, 301, 302, 400, 403, 404, 405}
ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
ADMIN_IDS = [model._meta.label for model, _ in ADMINS]
HUGE = "9" * 30

IDS = st.one_of(NUMBERS, st.sampled_from(["abc", HUGE, "1,2", "", " ", "1.0", "١", "1\x00", "%00"]))
VALUES = st.one_of(TEXT, NUMBERS, ODD, IDS, st.builds("{}\x00{}".format, TEXT, TEXT))


def check(response):
    assert response.status_code in ALLOWED, (response.status_code, response.request)
    return response


def segment(text):
    return quote(text, safe="") or "-"


def admin_url(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


@pytest.fixture
def content():
    """A row in most tables, so filters, actions and change forms have something to find."""
    release = make_release("Houston heat plan", topics=[make_topic("Heat")])
    person = make_person("Ana Lopez")
    release.people.add(person)
    make_quote(release, person, text="Cooler streets save lives.")
    make_role(person, release.byline)
    contact = make_media_contact()
    make_media_list(contacts=[contact])
    make_delivery(make_mailing(release=release), contact)
    make_press_contact()
    make_subscriber(status="confirmed")
    TOTPDevice.objects.create(user=make_user("owner"), name="phone", confirmed=True)
    Group.objects.get_or_create(name="Readers")


@pytest.fixture(params=["editor", "press officer", "superuser"])
def staff(request):
    """A signed-in member of the role (force_login: hashing a password costs a second)."""
    if request.param == "superuser":
        user = User.objects.create_superuser("boss", "boss@example.org")
    else:
        user = make_user(request.param.replace(" ", ""), group_name=request.param.capitalize())
    client = Client()
    client.force_login(user)
    return client


def asked(model_admin):
    """A superuser's request, to ask an admin what it offers: its filters, actions, forms."""
    request = RequestFactory().get("/")
    request.user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "root", "root@example.org"
    )
    return request


def changelist_parameters(model_admin):
    """The query parameters the changelist reads: its filters', its dates', Django's own."""
    changelist = model_admin.get_changelist_instance(asked(model_admin))
    names = {"q", "p", "o", "e", "all", "_popup", "_to_field"}
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return sorted(names)


def form_field_names(model_admin, obj):
    """What the change form posts: its fields, and each inline's management form and fields."""
    request = asked(model_admin)
    names = list(model_admin.get_form(request, obj)().fields)
    for formset, _ in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset.get_default_prefix()
        names += [f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS"]
        names += [f"{prefix}-0-{name}" for name in formset.form.base_fields]
    return names


def autocomplete_targets():
    """(app_label, model_name, field_name) of every autocomplete field, inlines' included."""
    targets = set()
    for model, model_admin in ADMINS:
        for owner in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            opts = owner.model._meta
            targets.update(
                (opts.app_label, opts.model_name, name) for name in owner.autocomplete_fields
            )
    return sorted(targets)


def extra_pages():
    """(model, route) of each admin's own pages, beyond Django's list, add, change, history and
    delete (fuzzed below with the rest of their admin)."""
    standard = ("_changelist", "_add", "_change", "_history", "_delete")
    return [
        (model, str(url.pattern).strip("^$"))
        for model, model_admin in ADMINS
        for url in model_admin.get_urls()
        if url.name and not url.name.endswith(standard)
    ]


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=ADMIN_IDS)
def test_changelist_query_parameters_never_fail(content, staff, model, model_admin):
    names = changelist_parameters(model_admin)

    @per_admin
    @given(
        st.dictionaries(st.one_of(st.sampled_from(names), TEXT.filter(bool)), VALUES, max_size=6)
    )
    def run(params):
        check(staff.get(admin_url(model), params))

    run()


TARGETS = autocomplete_targets()


@pytest.mark.parametrize("target", TARGETS, ids=[".".join(target) for target in TARGETS])
def test_autocomplete_never_fails(content, staff, target):
    app_label, model_name, field_name = target

    @per_admin
    @given(
        st.fixed_dictionaries(
            {
                "app_label": st.one_of(st.just(app_label), VALUES),
                "model_name": st.one_of(st.just(model_name), VALUES),
                "field_name": st.one_of(st.just(field_name), VALUES),
            },
            optional={"term": VALUES, "page": VALUES},
        )
    )
    def run(params):
        check(staff.get("/admin/autocomplete/", params))

    run()


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=ADMIN_IDS)
def test_actions_and_list_edits_with_forged_ids_never_fail(content, staff, model, model_admin):
    real_ids = [str(pk) for pk in model.objects.values_list("pk", flat=True)[:3]] or ["1"]
    actions = sorted(model_admin.get_actions(asked(model_admin))) or ["delete_selected"]
    ids = st.one_of(st.sampled_from(real_ids), IDS, VALUES)

    @per_admin
    @given(
        st.fixed_dictionaries(
            {
                "action": st.one_of(st.sampled_from(actions), VALUES),
                "_selected_action": st.lists(ids, max_size=4),
            },
            optional={
                "select_across": VALUES, "index": VALUES, "post": st.just("yes"),
                "apply": st.just("Apply"), "media_list": ids,
            },
        ),
        st.dictionaries(
            st.sampled_from(["_save", "form-TOTAL_FORMS", "form-INITIAL_FORMS", "form-0-id",
                             *(f"form-0-{name}" for name in model_admin.list_editable)]),
            st.one_of(ids, VALUES),
        ),
    )  # fmt: skip
    def run(action, list_edit):
        check(staff.post(admin_url(model), action))
        check(staff.post(admin_url(model), list_edit))

    run()


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=ADMIN_IDS)
def test_change_forms_never_fail(content, staff, model, model_admin):
    obj = model.objects.first()
    names = form_field_names(model_admin, obj)
    target = f"{admin_url(model)}{obj.pk}/change/" if obj else f"{admin_url(model)}add/"

    @per_admin
    @given(
        object_id=st.one_of(IDS, VALUES),
        page=st.sampled_from(["change/", "history/", "delete/", ""]),
        params=st.dictionaries(st.sampled_from(["_changelist_filters", "_to_field", "_popup"]),
                               VALUES),
        data=st.dictionaries(st.sampled_from(names or ["name"]), VALUES, max_size=8),
    )  # fmt: skip
    def run(object_id, page, params, data):
        check(staff.get(f"{admin_url(model)}{segment(object_id)}/{page}", params))
        check(staff.post(target, data))

    run()


PAGES = extra_pages()
# What the extra pages read: compare's versions, the attribution's date, a merge's contacts...
PAGE_KEYS = ["version_id1", "version_id2", "date", "page", "keep", "merge", "comment",
             "publish_at", "note", "days", "import_valid_rows", "format", "media_list"]  # fmt: skip


@pytest.mark.parametrize(
    ("model", "route"), PAGES, ids=[f"{model._meta.label}:{route}" for model, route in PAGES]
)
def test_each_admins_own_pages_never_fail(content, staff, model, route):
    real_id = str(model.objects.values_list("pk", flat=True).first() or 1)
    ids = st.one_of(st.just(real_id), st.sampled_from(["0", HUGE, "9223372036854775808"]))

    @per_admin
    @given(st.data(), st.dictionaries(st.one_of(st.sampled_from(PAGE_KEYS), TEXT), VALUES))
    def run(data, params):
        def fill(match):
            if match.group(0).startswith(("<int:", r"(\d")):
                return data.draw(ids)
            return segment(data.draw(st.one_of(st.just("publish"), VALUES)))

        url = admin_url(model) + re.sub(r"<[^>]+>|\([^)]*\)", fill, route)
        check(staff.get(url, params))
        check(staff.post(url, params))

    run()
