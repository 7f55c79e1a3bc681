"""A release emailed to journalists prints the quotes its editor placed in the story, as the
page does, never the "[quote N]" code."""

import pytest

from contacts.mailings.sending import deliver
from contacts.models import Mailing
from tests.factories import (
    make_mailing,
    make_media_contact,
    make_person,
    make_quote,
    make_release,
)

pytestmark = pytest.mark.django_db


def test_the_email_prints_a_placed_quote_in_both_parts(sink):
    lois = make_media_contact("Lois", "Lane")
    release = make_release("Cooling centres open")
    quote = make_quote(release, make_person("Lauren Sorkin"), "Shade saves lives.")
    release.body = f"<p>Eleven centres.</p><p>[quote {quote.pk}]</p><p>Open daily.</p>"
    release.save()
    mailing = make_mailing(release)
    mailing.contacts.set([lois])
    mailing.status = Mailing.Status.QUEUED
    mailing.save()
    mailing.start()
    assert deliver(mailing).sent == 1

    message = sink.message_to("lois.lane@example.com")
    parts = {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }
    for kind in ("text/plain", "text/html"):
        assert "[quote" not in parts[kind]
        assert "Shade saves lives." in parts[kind]
    assert "Eleven centres. “Shade saves lives.” Lauren Sorkin Open daily." in " ".join(
        parts["text/plain"].split()
    )
