"""The mail server, as the sending engine sees it (contacts/mailings/sending.py): Django's
configured email backend; with SMTP, one session reused across emails, reopened after a dropped
one, and every error sorted into temporary (Retry, Unreachable) or permanent (Refused)."""

import io
import smtplib
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

SMTP_TIMEOUT = 30  # seconds per SMTP operation, when EMAIL_TIMEOUT is not set


class Retry(Exception):
    """A temporary failure: try this email again later."""


class Refused(Exception):
    """A permanent refusal of this email."""


class Unreachable(Retry):
    """No mail server to talk to: stop, and try the rest later."""


class Outbox:
    """Django's configured email backend; with SMTP, one session reused across emails, reopened
    after a dropped one, and errors sorted into temporary and permanent."""

    def __init__(self):
        self.backend = get_connection(
            timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT
        )
        self.smtp = isinstance(self.backend, SMTPBackend)
        self.sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    def send(self, message, address):
        if not self.smtp:
            self.backend.send_messages([message])
            return
        if self.backend.connection is None:
            try:
                self.backend.open()
            except (OSError, smtplib.SMTPException) as error:
                self.close()
                raise Unreachable(f"Could not reach the mail server: {error}") from error
        session = self.backend.connection
        local, domain = address.rsplit("@", 1)
        try:
            recipient = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError as error:
            raise Refused(f"The domain of this address is not valid: {error}") from error
        try:
            options, data = [], message.message().as_bytes(linesep="\r\n")
            if not local.isascii():
                session.ehlo_or_helo_if_needed()
                if not session.has_extn("smtputf8"):
                    raise Refused(
                        "The address has non-ASCII characters before the @ and the mail server "
                        "does not accept such addresses (it does not offer SMTPUTF8)."
                    )
                options, data = ["SMTPUTF8"], utf8_bytes(message, recipient)
            session.sendmail(self.sender, [recipient], data, mail_options=options)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise_for(code, text)
        except smtplib.SMTPResponseException as error:
            self.close()
            raise_for(error.smtp_code, error.smtp_error)
        except OSError as error:  # a dropped session, a timeout (SMTPException is an OSError)
            self.close()
            raise Retry(f"The mail server connection failed: {error}") from error

    def close(self):
        if self.smtp:
            try:
                self.backend.close()
            except Exception:  # closing a broken session must not hide what broke it
                self.backend.connection = None


def raise_for(code, text):
    reason = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if 500 <= code < 600:
        raise Refused(f"The mail server refused: {reason}")
    raise Retry(f"The mail server said to try later: {reason}")


def utf8_bytes(message, recipient):
    """The message with a UTF-8 To header, for a server that takes SMTPUTF8."""
    mime = message.message()
    local, domain = recipient.rsplit("@", 1)
    mime.replace_header("To", str(Address(message.recipient_name, local, domain)))
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False, policy=policy.SMTPUTF8).flatten(mime, linesep="\r\n")
    return buffer.getvalue()
