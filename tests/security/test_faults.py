"""Faults of the services the site stands on, with the real services.

Redis: a redis-server of this test's own, on a free port, configured exactly as settings.py
configures it from REDIS_URL. Stopped while the site serves: pages still come (rendered instead
of cached), a sign-up still goes through (the rate limit lets it pass: see
contacts/subscriptions/ratelimit.py), an editor can still save; once Redis is back, pages are
cached again. Paused (SIGSTOP), as a hung server or an unreachable host looks: pages must not
wait for it. The machine's shared Redis on 6379 is never touched.

PostgreSQL: a restart, as the app sees one, is every connection cut under it. A real
`pg_ctlcluster restart` would cut every other session on this shared machine too, so the test
cuts only the app's own connections (pg_terminate_backend, which is what the server does to
them on restart) and checks that the app reconnects by itself. That takes a real server:
Django's test client switches off the start-of-request connection checks (close_old_connections)
that CONN_HEALTH_CHECKS relies on, so gunicorn serves the test database here.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import psycopg2
import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from contacts.models import Subscriber
from tests.databases import several_connections
from tests.factories import form_data, make_release, make_topic
from tests.servers import free_port, wait_for_port
from tests.tasks import run_queued_tasks

REDIS_SERVER = shutil.which("redis-server")


class OwnRedis:
    """A throwaway redis-server on 127.0.0.1, started and stopped at will on one port."""

    def __init__(self):
        self.port, self.process = free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def keys(self):
        return redis.Redis(port=self.port).keys("*")


def production_caches(location):
    """CACHES exactly as newsroom/settings.py builds them for REDIS_URL=`location`, timeouts and
    all, with a key prefix of this test's own."""
    env = {**os.environ, "REDIS_URL": location}
    script = "import json; from newsroom import settings; print(json.dumps(settings.CACHES))"
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    caches = json.loads(output)
    caches["default"]["KEY_PREFIX"] = "faults"
    return caches


@pytest.fixture
def own_redis(settings):
    if not REDIS_SERVER:
        pytest.skip("redis-server is not installed")
    server = OwnRedis().start()
    settings.CACHES = production_caches(f"redis://127.0.0.1:{server.port}/0")
    settings.PAGE_CACHE_SECONDS = 60
    yield server
    server.stop()


def sign_up(email):
    return Client().post("/subscribe/", {"email": email, "consent": "on"})


@pytest.mark.django_db
def test_the_site_serves_without_redis_and_caches_again_when_it_is_back(
    own_redis, superuser_client
):
    topic = make_topic("Heat")
    release = make_release("Cooling centres open", topics=[topic])
    pages = ["/", "/releases/", release.get_absolute_url(), "/topics/heat/", "/search/?q=cooling",
             "/feeds/releases/rss/", "/subscribe/"]  # fmt: skip
    reader = Client()
    for page in pages:
        assert reader.get(page).status_code == 200, page
    assert any(key.startswith(b"faults:1:pages:") for key in own_redis.keys())
    assert sign_up("before@example.org").status_code == 302

    own_redis.stop()
    for page in pages:
        response = reader.get(page)
        assert response.status_code == 200, page
        assert "Cooling centres open" in response.content.decode() or page == "/subscribe/"
    # The limit (5 a network) is not enforced while it cannot be counted: all of these pass.
    for n in range(7):
        assert sign_up(f"during{n}@example.org").status_code == 302
    run_queued_tasks()
    assert Subscriber.objects.filter(email__startswith="during").count() == 7
    # Saving content marks cached pages stale, in Redis: it must not fail the save.
    change = f"/admin/press/release/{release.pk}/change/"
    page = superuser_client.get(change)
    assert page.status_code == 200
    data = form_data(page.content.decode(), title="Cooling centres open late")
    assert superuser_client.post(change, data).status_code == 302
    assert "Cooling centres open late" in reader.get("/").content.decode()

    own_redis.start()  # an empty Redis, as after a restart
    for page in pages:
        assert reader.get(page).status_code == 200, page
    assert any(key.startswith(b"faults:1:pages:") for key in own_redis.keys())
    assert sign_up("after@example.org").status_code == 302


def timed(request, limit=15):
    """(seconds taken, status) of `request()`, run in a thread so a hang cannot stall the test."""
    outcome = {}

    def run():
        started = time.monotonic()
        outcome["status"] = request().status_code
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    return outcome.get("seconds", limit), outcome.get("status", "no answer")


@several_connections
@pytest.mark.django_db(transaction=True)
def test_a_hung_redis_delays_a_request_by_a_short_timeout_not_seconds(own_redis):
    """Redis alive but not answering (paused, or its host gone from the network): each cache
    call waits for the client's socket timeout, 5 s by redis-py's default. With a few sync
    workers, seconds per request take the whole site down: settings.py must set a short one."""
    make_release("Cooling centres open")
    assert Client().get("/releases/").status_code == 200
    own_redis.process.send_signal(signal.SIGSTOP)
    try:
        page = timed(lambda: Client().get("/releases/"))
        signup = timed(lambda: sign_up("hung@example.org"))
    finally:
        own_redis.process.send_signal(signal.SIGCONT)
    assert (page[1], signup[1]) == (200, 302)
    # Each cache call waits 0.5 s: two in a sign-up (two rate-limit counters), four in the
    # list page (the page cache, the live count, the archive years, the site settings). With
    # redis-py's default of 5 s, that page would take 20 s.
    assert page[0] < 2.5 and signup[0] < 3, f"page {page[0]:.1f} s, sign-up {signup[0]:.1f} s"


# PostgreSQL


@pytest.fixture
def app_server(transactional_db):
    """gunicorn, one sync worker, serving the test database; its connections are named so that
    they, and only they, can be cut."""
    database = django_settings.DATABASES["default"]
    name = f"newsroom-faults-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}?application_name={name}",
        "TESTING": "True",
        "DEBUG": "False",
        "PAGE_CACHE_SECONDS": "0",  # every request reads the database
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--no-control-socket", "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}", name
    finally:
        server.terminate()
        server.wait(timeout=10)


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return "no answer"


def cut_connections(application_name):
    """What a PostgreSQL restart does to a client: its connections end. Returns how many."""
    database = django_settings.DATABASES["default"]
    other = psycopg2.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"],
        dbname=database["NAME"],
    )  # fmt: skip
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [application_name],
        )
        (count,) = cursor.fetchone()
    other.close()
    return count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_app_reconnects_by_itself_when_postgresql_cuts_its_connections(app_server):
    url, name = app_server
    release = make_release("Cooling centres open")
    pages = [url + "/releases/", url + release.get_absolute_url(), url + "/search/?q=cooling"]
    assert [status(page) for page in pages] == [200, 200, 200]

    # Between requests: the kept connection (CONN_MAX_AGE) is dead when the next one comes.
    assert cut_connections(name) == 1
    assert [status(page) for page in pages * 2] == [200] * 6

    # While requests run: a request whose query is under way when its connection goes may
    # fail; every request after must not.
    results, stop = [], threading.Event()

    def traffic():
        while not stop.is_set():
            results.append(status(pages[len(results) % 3]))

    thread = threading.Thread(target=traffic)
    thread.start()
    cuts = 0
    for _ in range(6):
        time.sleep(0.3)
        cuts += cut_connections(name)
    stop.set()
    thread.join(timeout=15)
    failed = [result for result in results if result != 200]
    assert len(results) > 10 and cuts >= 3
    assert len(failed) <= cuts, f"{len(failed)} failed of {len(results)} for {cuts} cuts"
    assert [status(page) for page in pages * 2] == [200] * 6
