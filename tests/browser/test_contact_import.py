"""A press officer imports a Cision export as it comes, title lines and extra columns included:
upload, map the columns, preview, check, confirm; the contacts are stored as mapped."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from contacts.models import ImportJob, ImportMapping, MediaContact
from tests.factories import make_topic

pytestmark = pytest.mark.django_db(transaction=True)

# Two title lines, the headings on row 3, and columns the newsroom has no field for.
CISION_EXPORT = (
    "Cision Communications Cloud – media list “Regional desks”\r\n"
    "Exported 2030-05-01 by Pat Officer,,,,,,,,,\r\n"
    "First Name,Last Name,Email,Job Title,Outlet Name,Media Type,Country,Subjects,City,"
    "Comments for PR\r\n"
    "Anna,Müller,Anna.Mueller@Zeit.example,Editor,Die Zeit,Newspaper,Germany,Climate,Hamburg,"
    "Prefers calls\r\n"
    "Lars,Sørensen,lars@politiken.example,Reporter,Politiken,Newspaper,Denmark,,Copenhagen,\r\n"
).encode()


@pytest.fixture
def officer(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_topic("Climate")
    user = User.objects.create_user("pat", "pat@example.org", "pass-word-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Press officer"))
    return user


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("pass-word-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_attached()


def test_a_cision_export_is_mapped_previewed_checked_and_imported(page, live_server, officer):
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/contacts/mediacontact/import/")
    page.locator("#id_file").set_input_files(
        {"name": "regional-desks.csv", "mimeType": "text/csv", "buffer": CISION_EXPORT}
    )
    page.get_by_role("button", name="Upload").click()

    # The mapping: the headings found on row 3, the Cision preset suggested.
    expect(page.locator("#id_row")).to_have_value("3")
    expect(page.locator("#id_mapping")).to_have_value(
        str(ImportMapping.objects.get(preset="cision").pk)
    )
    fields = {
        "A: First Name": "first_name",
        "C: Email": "email",
        "E: Outlet Name": "outlet",
        "F: Media Type": "",
        "G: Country": "country",
        "H: Subjects": "beats",
        "I: City": "regions",
        "J: Comments for PR": "",
    }
    for label, value in fields.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.locator("#import-columns")).to_contain_text("Hamburg · Copenhagen")
    page.get_by_label("J: Comments for PR", exact=True).select_option(label="Notes")
    page.get_by_label("Remember this mapping as").fill("Cision regional desks")

    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#import-preview")
    expect(preview.locator("thead")).to_contain_text("Notes")
    expect(preview.locator("tbody tr").first).to_contain_text(
        "4anna.mueller@zeit.exampleAnnaMüllerDie ZeitEditorClimateHamburgDEPrefers calls"
    )
    expect(page.get_by_label("J: Comments for PR", exact=True)).to_have_value("notes")

    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#count-new")).to_have_text("2")
    expect(page.locator("#count-invalid")).to_have_text("0")
    assert MediaContact.objects.count() == 0  # nothing written before the confirmation
    page.get_by_role("button", name="Import 2 contacts").click()

    expect(page.locator("#import-status")).to_contain_text("Imported")
    anna = MediaContact.objects.get(email="anna.mueller@zeit.example")
    assert (anna.first_name, anna.last_name, anna.job_title, anna.outlet.name) == (
        "Anna", "Müller", "Editor", "Die Zeit",
    )  # fmt: skip
    assert (anna.regions, anna.notes) == ("Hamburg", "Prefers calls")
    assert [topic.name for topic in anna.beats.all()] == ["Climate"]
    lars = MediaContact.objects.get(email="lars@politiken.example")
    assert (lars.regions, lars.outlet.name, list(lars.beats.all())) == (
        "Copenhagen", "Politiken", [],
    )  # fmt: skip
    job = ImportJob.objects.get()
    assert (job.header_row, job.status, job.file.name) == (3, "done", "")
    remembered = ImportMapping.objects.get(name="Cision regional desks")
    assert remembered.columns["Comments for PR"] == "notes"
