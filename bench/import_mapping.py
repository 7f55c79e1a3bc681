"""Benchmark of a contacts import through the mapping step: a Cision-like export of 100,000 rows
(two title lines, the headings on row 3, columns the newsroom has no field for) uploaded,
mapped, checked and written, against a database of 1,000,000 media contacts.

    .venv/bin/python -m bench.import_mapping           (a scratch copy of bench_newsroom)
    .venv/bin/python -m bench.import_mapping --rows 20000
    .venv/bin/python -m bench.import_mapping --database-url postgres://postgres@127.0.0.1:5432/other

1. The database, as bench/crm.py has it: by default a scratch copy of bench_newsroom (filled by
   `generate_data`), migrated, used and dropped; with `--database-url` that database, migrated
   and written to (a user, a media list, the import), so never one whose data you keep.
2. The file: bench/crm.py's import file (about 70% new addresses, 28% known ones changed or
   not, beats, outlets, some new ones, 1 row in 200 invalid) laid out as a Cision export: a
   title and an export line above the headings, Cision's headings ("First Name", "Outlet Name",
   "Subjects", "City"...), and three columns no field takes (media type, country, Twitter).
3. The import, in a process of its own (bench/crm_probe.py): the upload, the mapping page (the
   heading row found, the Cision preset suggested), its suggestion posted, the check as the
   `run_import` task runs it, the confirmation, the write. Each step timed; peak memory.
4. The target (under 60 s from upload to written) met or MISSED, and the findings in
   bench/results/import-mapping-<time>.json (git-ignored).
"""

import argparse
import csv
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path

from bench.crm import SCRATCH, SERVER_URL, SOURCE, child, copy_database, site_env, write_csv
from bench.server import ROOT, drop_database, manage, print_checks, say, write_results

TARGET_SECONDS = 60
TITLE = ["Cision Communications Cloud – media list “CRM bench”"]
# The columns of bench/crm.py's file, as a Cision export names them.
CISION_HEADINGS = {
    "Email": "Email",
    "First name": "First Name",
    "Last name": "Last Name",
    "Outlet": "Outlet Name",
    "Job title": "Job Title",
    "Beats": "Subjects",
    "Regions": "City",
    "Languages": "Language",
    "Do not contact": "Do Not Contact",
}
EXTRA = {"Media Type": "Newspaper", "Country": "Germany", "Twitter": "@desk"}


def cision_layout(source, target, stamp):
    """`source` (bench/crm.py's file) rewritten as a Cision export to `target`."""
    with (
        open(source, newline="", encoding="utf-8") as read,
        open(target, "w", newline="", encoding="utf-8") as written,
    ):
        rows, writer = csv.reader(read), csv.writer(written)
        headings = next(rows)
        writer.writerow(TITLE)
        writer.writerow([f"Exported {stamp}"])
        writer.writerow([CISION_HEADINGS[heading] for heading in headings] + list(EXTRA))
        for row in rows:
            writer.writerow(row + list(EXTRA.values()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", help="Use this database as it is (it is written to) instead of a copy."
    )
    parser.add_argument("--source", default=SOURCE, help="The database copied (%(default)s).")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch copy at the end.")
    parser.add_argument("--rows", type=int, default=100_000, help="Rows of the file.")
    args = parser.parse_args()

    started = datetime.datetime.now(datetime.UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    scratch = args.database_url is None
    database_url = args.database_url or f"{SERVER_URL}/{SCRATCH}"
    result = {"started": started.isoformat(), "load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="newsroom-import-bench-") as tmp:
        workdir = Path(tmp)
        env = site_env(database_url, workdir, statement_timeout=120)
        try:
            if scratch:
                say(f"Copying {args.source} to {SCRATCH}...")
                copy_database(args.source, SCRATCH)
            say("Migrating...")
            manage(env, "migrate", "--noinput", timeout=1800)
            manage(env, "collectstatic", "--noinput")
            plain, export = workdir / "plain.csv", workdir / "cision-export.csv"
            written = write_csv(plain, args.rows, stamp.replace("-", ""), database_url)
            cision_layout(plain, export, stamp)
            say(f"Import of a {args.rows:,}-row Cision export ({written})...")
            output = workdir / "import.json"
            child(env, "import", "--output", str(output), "--csv", str(export))
            imported = json.loads(output.read_text())
            imported["file_rows"] = written
            contacts = contacts_in(database_url)
        finally:
            if scratch and not args.keep:
                drop_database(database_url)

    ok = "steps_s" in imported and imported.get("status") == "done"
    checks = [
        {
            "target": f"Import of {args.rows:,} rows through a mapping < {TARGET_SECONDS} s "
            "(upload to written)",
            "measured": f"{imported['total_s']:.1f} s"
            if ok
            else "failed: "
            + str(imported.get("error") or imported.get("message") or imported.get("status")),
            "met": ok and imported["total_s"] < TARGET_SECONDS,
            "detail": ", ".join(f"{k} {v:.1f} s" for k, v in imported.get("steps_s", {}).items()),
        }
    ]
    say()
    say(f"Media contacts in the database after the import: {contacts:,}")
    if ok:
        say(f"Mapped: heading row {imported['mapping']['header_row']}, columns "
            f"{imported['mapping']['columns']}")  # fmt: skip
        say(f"Checked: {imported['checked']}; {imported['contacts_added']:,} contacts added; "
            f"peak memory {imported['peak_rss_mb']} MB")  # fmt: skip
    print_checks(checks)
    load = os.getloadavg()
    say(f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} cores)")  # fmt: skip
    result.update(
        finished=datetime.datetime.now(datetime.UTC).isoformat(),
        load_average_end=load,
        contacts=contacts,
        imported=imported,
        targets=checks,
    )
    path = write_results(f"import-mapping-{stamp}", result)
    say(f"Full results: {path.relative_to(ROOT)}")
    return 0 if checks[0]["met"] else 1


def contacts_in(database_url):
    import psycopg2

    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM contacts_mediacontact")
            return cursor.fetchone()[0]
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
