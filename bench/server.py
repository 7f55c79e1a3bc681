"""What the benchmarks share: the site's environment with production settings on loopback,
management commands, and a gunicorn of 2 sync workers on a free port, stopped whatever happens.
"""

import contextlib
import importlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = Path(PYTHON).with_name("gunicorn")
# Settings a benchmark chooses itself, never inherited from the shell that runs it.
CHOSEN = ("TESTING", "DEBUG", "DATABASE_URL", "REDIS_URL", "PAGE_CACHE_SECONDS",
          "DJANGO_SETTINGS_MODULE")  # fmt: skip


# make bench's data and Redis, unless BENCH_DATABASE_URL and BENCH_REDIS_URL name others.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_newsroom"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


# The floor page (bench/urls.py): a bare Django view, served without middleware (bench/wsgi.py).
FLOOR = "/bench/floor/"


def set_up_as_a_worker():
    """Set Django up in this process as the site's workers do (newsroom.wsgi, which freezes what
    start-up loaded for the garbage collector) and return their WSGI application: measured
    in-process, requests then cost what they cost a worker."""
    return importlib.import_module("newsroom.wsgi").application


def bench_data_env(workdir, **extra):
    """site_env() on make bench's data (BENCH_DATABASE_URL, else bench_newsroom; BENCH_REDIS_URL,
    else db 0), the page cache off unless `extra` says otherwise, its static files collected
    under `workdir`: for the benchmarks that serve pages in-process."""
    env = site_env(
        os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        Path(workdir) / "static",
        **{
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
            "PAGE_CACHE_SECONDS": 0,
            **extra,
        },
    )
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


def wsgi_environ(path):
    """A GET of `path` (with its query, if any) from loopback, as gunicorn hands it to the
    WSGI application: for the benchmarks that serve pages in-process."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def say(line=""):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def site_env(database_url, static_root, **extra):
    """Production settings (DEBUG off, hashed static files in `static_root` served by
    whitenoise) except plain HTTP on 127.0.0.1. bench.settings adds only the floor page and an
    optional statement timeout. `extra` adds or overrides variables (REDIS_URL, ...)."""
    env = clean_environ()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        DEBUG="False",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def clean_environ():
    """This process's environment without the settings a benchmark chooses itself."""
    return {key: value for key, value in os.environ.items() if key not in CHOSEN}


def database_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


def maintenance_connection(url):
    """An autocommit connection to the `postgres` database of the server `url` names."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(
        urllib.parse.urlunsplit(parts._replace(path="/postgres")), connect_timeout=10
    )
    connection.autocommit = True
    return connection


def create_database_if_missing(url):
    """Create the database `url` names on its server unless it exists."""
    name = database_name(url)
    connection = maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                say(f"Creating the database {name}...")
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def recreate_database(url):
    """Drop the database `url` names (whoever is connected to it) and create it empty."""
    drop_database(url)
    run_on_server(url, f'CREATE DATABASE "{database_name(url)}"')


def drop_database(url):
    """Drop the database `url` names, if it exists, whoever is connected to it."""
    run_on_server(url, f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def run_on_server(url, statement):
    """One statement on the server of `url`, from its maintenance database: CREATE and DROP
    DATABASE cannot run inside the database they name."""
    connection = maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def manage(env, *args, timeout=600, capture=False):
    """Run a management command with `env`; its standard output when `capture`."""
    return run_python(env, "manage.py", *args, timeout=timeout, capture=capture)


def run_python(env, *args, timeout=600, capture=False):
    """Run Python in the repository's root with `env` and `args` (`-m bench.generate_data`,
    `manage.py migrate`); its standard output when `capture`."""
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env, log_path, ready_path="/robots.txt", log_level="warning", app="newsroom.wsgi:application"
):
    """gunicorn serving `app` on a free port of 127.0.0.1 (`server.base` is its address), once
    `ready_path` answers. Stop it with stop_gunicorn()."""
    port = free_port()
    log = open(log_path, "a")  # closed by stop_gunicorn()
    server = subprocess.Popen(
        [str(GUNICORN), app, f"--bind=127.0.0.1:{port}", "--workers=2",
         "--worker-class=sync", "--no-control-socket", "--timeout=60",
         f"--log-level={log_level}"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    server.log, server.base = log, f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.close()
            raise RuntimeError(f"gunicorn exited with status {server.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(server.base + ready_path, timeout=10):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # TimeoutError: a first page that makes the demo's renditions on a busy machine.
            time.sleep(0.3)
    stop_gunicorn(server)
    raise RuntimeError("gunicorn did not answer within 60 seconds")


def stop_gunicorn(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    server.log.close()


@contextlib.contextmanager
def demo_site(prefix, ready_path="/robots.txt"):
    """A throwaway demo site, as production serves it: the demo loaded into SQLite in a
    temporary directory, static files collected, the demo's pictures served, gunicorn in front.
    Yields (server, its working directory); all of it is gone afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        workdir = Path(tmp)
        env = site_env(
            f"sqlite:///{workdir / 'db.sqlite3'}",
            workdir / "static",
            MEDIA_ROOT=workdir / "media",
            BENCH_SERVE_MEDIA="1",
        )
        say("Building the demo site in a temporary directory...")
        manage(env, "migrate", "--noinput", timeout=300)
        manage(env, "load_demo", timeout=300)
        manage(env, "collectstatic", "--noinput", timeout=300)
        server = start_gunicorn(env, workdir / "gunicorn.log", ready_path=ready_path)
        try:
            yield server, workdir
        finally:
            stop_gunicorn(server)


def worker_pids(server):
    """The worker processes of a gunicorn master: its children."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def memory(pid):
    """Resident (VmRSS) and peak resident (VmHWM) memory of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(value.split()[0]) / 1024, 1)
    return {"pid": pid, "rss_mb": values.get("VmRSS"), "peak_rss_mb": values.get("VmHWM")}


def delete_cache_keys(redis_url, prefix):
    """Remove a run's own keys (never FLUSHDB: the Redis may be shared)."""
    try:
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    except Exception as error:  # cleanup must not hide the results
        say(f"Could not delete the cache keys {prefix}:*: {error}")


def write_results(name, data):
    """`data` as bench/results/`name`.json; the path written."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def print_checks(checks):
    """Each target, met or MISSED, with its figure."""
    for item in checks:
        mark = {True: "met   ", False: "MISSED", None: "n/a   "}[item["met"]]
        detail = f"  ({item['detail']})" if item["detail"] else ""
        say(f"{mark} {item['target']}: {item['measured']}{detail}")
