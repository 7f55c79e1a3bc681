import pytest

from tests.api.receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A partner's receiver on loopback, which webhooks may reach only with this setting."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    with Receiver() as running:
        yield running
