"""Importing journalists with their language: a column of languages written out gives the
language code mailings use (the first one), a column of its own for the code wins, and a
Cision export's Language column (mapped by its preset, tests/contacts/test_import_mapping.py)
does the same."""

import pytest

from contacts.models import MediaContact
from tests.contacts.importing import confirm, csv_file, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_a_temporary_folder")]


def imported():
    return sorted(MediaContact.objects.values_list("email", "languages", "language"))


def test_the_languages_written_out_give_the_language_of_the_first(officer_client):
    file = csv_file(
        'kim@example.org,Kim,"Korean, English"',
        "ana@example.org,García,Español",
        "x@example.org,X,Klingon",
        headings="Email,Last name,Language",
    )

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert imported() == [
        ("ana@example.org", "Español", "es"),
        ("kim@example.org", "Korean, English", "ko"),
        ("x@example.org", "Klingon", ""),
    ]


def test_a_preferred_language_column_is_the_language(officer_client):
    file = csv_file(
        'kim@example.org,Kim,"English, Korean",ko',
        "lee@example.org,Lee,Korean,",
        headings="Email,Last name,Languages,Preferred language",
    )

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert imported() == [
        ("kim@example.org", "English, Korean", "ko"),
        ("lee@example.org", "Korean", ""),
    ]


def test_a_cision_exports_language_column_gives_the_language(officer_client):
    file = csv_file(
        "Ana,García,ana@example.org,Reforma,Spanish,Mexico",
        headings="First Name,Last Name,Email,Outlet Name,Language,Country",
    )

    job, _ = upload(officer_client, file)
    confirm(officer_client, job)

    assert imported() == [("ana@example.org", "Spanish", "es")]
