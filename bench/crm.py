"""Scale benchmark of the media contacts CRM: the admin changelist and a 100,000-row import, on a
PostgreSQL database of 1,000,000 media contacts.

    .venv/bin/python -m bench.crm                       (a scratch copy of bench_newsroom)
    .venv/bin/python -m bench.crm --runs 7 --import-rows 20000
    .venv/bin/python -m bench.crm --database-url postgres://postgres@127.0.0.1:5432/other
    .venv/bin/python -m bench.crm --help

1. The database. By default a scratch copy of bench_newsroom (`--source`, filled by
   `generate_data`, which `make bench` makes; it is never written to): crm_bench is dropped,
   made again with `CREATE DATABASE ... TEMPLATE bench_newsroom` (a file copy), migrated
   (so new indexes are built on it), used, and dropped at the end (`--keep` keeps it). Copying
   needs bench_newsroom to have no other connection at that moment. With `--database-url` that
   database is migrated and used as it is: the benchmark writes to it (a user, sessions, five
   contacts with a rare name, and the import), so never point it at data you keep.
2. The changelist, in-process through Django's test client (production settings, DEBUG off,
   every SQL statement capped at `--statement-timeout` seconds), as a staff member of the
   Administrator group: unfiltered page 1 and a deep page, each filter, searches (a common
   first name, a rare last name, an email, outlet names, several words), both sort orders.
   Each URL once to warm up, then `--runs` times: median and max milliseconds, and the queries
   of one request. A query counting rows with no LIMIT is reported as a full count.
3. The import, in a process of its own (its peak memory is the import's): a CSV of
   `--import-rows` rows written for the run (about 70% new addresses, 28% existing ones with
   changes or none, beats and outlets, some new outlets, 1 row in 200 invalid), uploaded
   through the admin's import page onto a new media list with "import the valid rows", its
   columns mapped as the mapping page suggests, then checked by the `run_import` task as a
   worker runs it, confirmed through the admin, and written by the task. Each step timed; the
   peak resident memory of the process.
4. A table with each target met or MISSED, and the same with every query's SQL of the slowest
   request in bench/results/crm-<time>.json (git-ignored).

PostgreSQL shares the machine's cores with this script and with whatever else runs: the JSON
records the load average; compare figures of one run, or of runs at a similar load.
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import (
    PYTHON,
    ROOT,
    database_name,
    drop_database,
    maintenance_connection,
    manage,
    print_checks,
    say,
    write_results,
)
from bench.server import site_env as site_environment

SERVER_URL = "postgres://postgres@127.0.0.1:5432"
SCRATCH = "crm_bench"
SOURCE = "bench_newsroom"
TARGET_MS = 500
TARGET_IMPORT_SECONDS = 60
TARGET_CONTACTS = 1_000_000


# The database


def copy_database(source, target):
    """Drop `target` and make it again as a file copy of `source`."""
    import psycopg2

    drop_database(f"{SERVER_URL}/{target}")
    connection = maintenance_connection(SERVER_URL + "/postgres")
    try:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            try:
                cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
            except psycopg2.errors.ObjectInUse:
                raise SystemExit(
                    f"{source} has other connections (make bench?): try again when it has none."
                ) from None
            except psycopg2.errors.InvalidCatalogName:
                raise SystemExit(
                    f"No database {source}: make it with `make bench`, or "
                    "`createdb` + `migrate` + `manage.py generate_data`."
                ) from None
            return time.perf_counter() - started
    finally:
        connection.close()


def site_env(database_url, workdir, statement_timeout):
    return site_environment(
        database_url,
        # Hashed static files, collected for the run: the admin's pages name them.
        workdir / "static",
        MEDIA_ROOT=workdir / "media",
        # Queued tasks wait; the probe runs them itself, exactly as a worker would.
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        BENCH_STATEMENT_TIMEOUT_MS=statement_timeout * 1000,
    )


def child(env, *args, timeout=3600):
    subprocess.run(
        [PYTHON, "-m", "bench.crm_probe", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )


def timed_manage(env, *args):
    """Run a management command; its seconds."""
    started = time.perf_counter()
    manage(env, *args, timeout=1800)
    return time.perf_counter() - started


def write_csv(path, rows, stamp, database_url, seed=1):
    """The import file: existing addresses (updated, or unchanged) and new ones, a few rows
    invalid. Deterministic but for `stamp`, which keeps new addresses new in a reused database.
    Returns what it wrote, by kind."""
    import random

    import psycopg2

    rng = random.Random(seed)
    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.email, c.first_name, c.last_name, o.name, c.job_title, c.regions "
            "FROM contacts_mediacontact c LEFT JOIN contacts_outlet o ON o.id = c.outlet_id "
            "WHERE c.erased_at IS NULL ORDER BY c.id LIMIT %s OFFSET 1000",
            [rows * 2],
        )
        existing = cursor.fetchall()
        cursor.execute("SELECT name FROM contacts_outlet ORDER BY id LIMIT 500")
        outlets = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT name FROM press_topic ORDER BY id LIMIT 40")
        topics = [row[0] for row in cursor.fetchall()]
    connection.close()
    existing = rng.sample(existing, min(len(existing), rows * 28 // 100))
    firsts = ["Anna", "Lars", "Ines", "Kwame", "Mei", "Jonas", "Sofia", "Omar", "Hana", "Ravi"]
    # (as written, as in an address)
    lasts = [
        ("Müller", "mueller"), ("Sørensen", "sorensen"), ("García", "garcia"),
        ("Mensah", "mensah"), ("Wang", "wang"), ("Novak", "novak"), ("O'Neill", "oneill"),
    ]  # fmt: skip
    titles = ["Reporter", "Editor", "Correspondent", "Producer", "Columnist", "Freelance writer"]
    places = ["Berlin", "Seoul, East Asia", "Lagos", "Paris", "São Paulo", "Toronto", "Oslo"]
    counts = {"new": 0, "existing": 0, "invalid": 0}
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["Email", "First name", "Last name", "Outlet", "Job title", "Beats", "Regions",
             "Languages", "Do not contact"]
        )  # fmt: skip
        for n in range(rows):
            beats = ", ".join(rng.sample(topics, rng.randint(1, 2))) if rng.random() < 0.3 else ""
            if n % 200 == 199:
                counts["invalid"] += 1
                bad = rng.choice(["no-at-sign.example", "", "two@@example.org"])
                writer.writerow([bad, "Broken", "Row" if bad else "", "", "", "", "", "", ""])
            elif n % 100 < 28 and counts["existing"] < len(existing):
                email, first, last, outlet, title, regions = existing[counts["existing"]]
                counts["existing"] += 1
                if rng.random() < 0.7:  # a new job title or region: an update
                    title, regions = rng.choice(titles), rng.choice(places)
                writer.writerow(
                    [email.upper() if rng.random() < 0.1 else email, first, last, outlet or "",
                     title, "", regions, "", ""]
                )  # fmt: skip
            else:
                counts["new"] += 1
                first, (last, in_address) = rng.choice(firsts), rng.choice(lasts)
                if rng.random() < 0.02:
                    outlet = f"New Outlet {rng.randint(1, 300)} {stamp}"
                elif rng.random() < 0.1:
                    outlet = ""
                else:
                    outlet = rng.choice(outlets)
                email = f"{first[0]}.{in_address}.{n}.{stamp}@import.example".lower()
                language = rng.choice(["English", "German"])
                writer.writerow(
                    [email, first, last, outlet, rng.choice(titles), beats, rng.choice(places),
                     language, "yes" if rng.random() < 0.01 else ""]
                )  # fmt: skip
    return counts


# Verdicts and output


def verdicts(changelist, imported, rows):
    checks = []

    def check(target, measured, met, detail=""):
        checks.append({"target": target, "measured": measured, "met": met, "detail": detail})

    pages = changelist["pages"] if changelist else {}
    if changelist:
        check(
            f"{TARGET_CONTACTS:,} media contacts in the database",
            f"{changelist['contacts']:,}",
            changelist["contacts"] >= TARGET_CONTACTS,
        )
    for name, page in pages.items():
        if "error" in page:
            check(f"{name} < {TARGET_MS} ms", page["error"], False)
        else:
            check(
                f"{name} < {TARGET_MS} ms",
                f"median {page['median_ms']:.0f} ms",
                page["median_ms"] < TARGET_MS,
                f"max {page['max_ms']:.0f} ms",
            )
    full = [name for name, page in pages.items() if page.get("full_counts")]
    if pages:
        check(
            "No full COUNT on any page",
            f"{len(full)} page(s) count every row",
            not full,
            ", ".join(full),
        )
    if imported is None:
        check(f"Import of {rows:,} rows < {TARGET_IMPORT_SECONDS} s", "not measured", None)
    elif "error" in imported or imported.get("status") != "done":
        error = imported.get("error") or imported.get("message") or imported.get("status")
        check(f"Import of {rows:,} rows < {TARGET_IMPORT_SECONDS} s", f"failed: {error}", False)
    else:
        check(
            f"Import of {rows:,} rows < {TARGET_IMPORT_SECONDS} s (upload to written)",
            f"{imported['total_s']:.1f} s",
            imported["total_s"] < TARGET_IMPORT_SECONDS,
            ", ".join(f"{k} {v:.1f} s" for k, v in imported["steps_s"].items()),
        )
    return checks


def table(changelist):
    lines = [f"{'Changelist request':<46} {'median':>8} {'max':>8} {'queries':>8}  shown"]
    for name, page in changelist["pages"].items():
        if "error" in page:
            lines.append(f"{name:<46} {page['error']}")
            continue
        lines.append(
            f"{name:<46} {page['median_ms']:>5.0f} ms {page['max_ms']:>5.0f} ms "
            f"{page['queries']:>8}  {page['result_count']}"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", help="Use this database as it is (it is written to) instead of a copy."
    )
    parser.add_argument(
        "--source", default=SOURCE, help="The database copied (default %(default)s)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch copy at the end.")
    parser.add_argument("--runs", type=int, default=5, help="Timed requests per URL.")
    parser.add_argument("--import-rows", type=int, default=100_000, help="0 skips the import.")
    parser.add_argument("--skip-changelist", action="store_true")
    parser.add_argument(
        "--statement-timeout", type=int, default=30, help="Seconds any SQL statement may take."
    )
    args = parser.parse_args()

    started = datetime.datetime.now(datetime.UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    result = {"started": started.isoformat(), "load_average_start": os.getloadavg()}
    scratch = args.database_url is None
    database_url = args.database_url or f"{SERVER_URL}/{SCRATCH}"
    with tempfile.TemporaryDirectory(prefix="newsroom-crm-bench-") as tmp:
        workdir = Path(tmp)
        env = site_env(database_url, workdir, args.statement_timeout)
        try:
            if scratch:
                say(f"Copying {args.source} to {SCRATCH}...")
                result["copy_s"] = round(copy_database(args.source, SCRATCH), 1)
            say("Migrating...")
            result["migrate_s"] = round(timed_manage(env, "migrate", "--noinput"), 1)
            manage(env, "collectstatic", "--noinput")
            changelist = imported = None
            if not args.skip_changelist:
                say(f"Changelist, {args.runs} timed requests per URL:")
                output = workdir / "changelist.json"
                child(env, "changelist", "--output", str(output), "--runs", str(args.runs))
                changelist = json.loads(output.read_text())
            if args.import_rows:
                csv_path = workdir / "import.csv"
                written = write_csv(
                    csv_path, args.import_rows, stamp.replace("-", ""), database_url
                )
                say(f"Import of {args.import_rows:,} rows ({written})...")
                output = workdir / "import.json"
                child(env, "import", "--output", str(output), "--csv", str(csv_path))
                imported = json.loads(output.read_text())
                imported["file_rows"] = written
        finally:
            if scratch and not args.keep:
                drop_database(database_url)

    checks = verdicts(changelist, imported, args.import_rows)
    say()
    if changelist:
        say(f"Media contacts: {changelist['contacts']:,}")
        say(table(changelist))
        say()
    if imported and "steps_s" in imported:
        say(
            f"Import of {args.import_rows:,} rows: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in imported["steps_s"].items())
            + f"; total {imported['total_s']:.1f} s; peak memory {imported['peak_rss_mb']} MB "
            f"(resident before: {imported['rss_before_mb']} MB)"
        )
        say(f"  checked: {imported['checked']}; {imported['contacts_added']:,} contacts added")
        say()
    load = os.getloadavg()
    print_checks(checks)
    say(f"\nLoad average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} cores)")  # fmt: skip

    result.update(
        finished=datetime.datetime.now(datetime.UTC).isoformat(),
        load_average_end=load,
        cores=os.cpu_count(),
        database=database_name(database_url),
        copied_from=args.source if scratch else None,
        runs=args.runs,
        changelist=changelist,
        imported=imported,
        targets=checks,
    )
    path = write_results(f"crm-{stamp}", result)
    say(f"Full results: {path.relative_to(ROOT)}")
    return 0 if all(item["met"] is not False for item in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
