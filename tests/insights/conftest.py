import datetime
import uuid

import pytest
import time_machine

from insights.rollups import rollup
from tests.factories import make_user
from tests.insights.planted import NOW, plant
from tests.pages import logged_in


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    cache = dict(settings.CACHES["default"])
    cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": cache}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def planted(db, clock):
    """The planted figures, rolled up a minute later."""
    objects = plant()
    clock.shift(datetime.timedelta(minutes=1))
    rollup()
    return objects


@pytest.fixture
def editor_client(db):
    return logged_in(make_user("erin", group_name="Editor"))


@pytest.fixture
def officer_client(db):
    """A press officer, who sees every insights page (editors all but the journalists)."""
    return logged_in(make_user("pat", group_name="Press officer"))
