"""The in-process half of bench/crm.py, in a process of its own with the site's settings (so
that its peak memory is the import's): the changelist's requests, timed, or the import, step by
step. Its findings go to a JSON file.

    python -m bench.crm_probe changelist --output FILE --runs N
    python -m bench.crm_probe import --output FILE --csv FILE
"""

import argparse
import json
import logging
import re
import statistics
import time
import urllib.parse
from pathlib import Path

from bench.server import memory, say

CHANGELIST = "/admin/contacts/mediacontact/"
IMPORT_URL = "/admin/contacts/mediacontact/import/"
BENCH_USER = "crm-bench"
# Five contacts the generated data has no name like, so the rare-name search finds something.
RARE_LAST_NAME = "Thorvaldsdottir"
# The paginator's line: "About 1,000,000 media contacts", "More than 10,000 media contacts".
COUNT_TEXT = re.compile(r"((?:About |More than )?[\d,]+ media contacts?)\b")
# The mapping page's form.
HEADER_ROW = re.compile(r'name="header_row" value="(\d+)"')
COLUMN_SELECT = re.compile(r'<select name="column_(\d+)"[^>]*>(.*?)</select>', re.DOTALL)
SELECTED = re.compile(r'<option value="([^"]*)" selected>')


def setup_django():
    import django

    django.setup()
    # A failing page is reported in the results; its traceback would only bury the output.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def bench_client():
    """A logged-in test client of a staff member in the Administrator group (all contacts
    permissions, not a superuser: the permission queries are those of a real user)."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user, created = User.objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "email": "crm-bench@example.org"}
    )
    if created:
        user.groups.add(Group.objects.get(name="Administrator"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def changelist_urls():
    """(name, URL) of every request measured, with values read from the data."""
    from django.db.models import Count

    from contacts.models import ContactTag, MediaContact, MediaList, Membership, Outlet

    if not MediaContact.objects.filter(last_name=RARE_LAST_NAME).exists():
        for n in range(5):
            MediaContact.objects.create(
                first_name=f"Sigrun {n}",
                last_name=RARE_LAST_NAME,
                email=f"sigrun.{n}@crm-bench.example",
            )
    total = MediaContact.objects.order_by().values("pk").count()
    deep = max(1, total // 50 // 2)  # the middle of the list
    beats = MediaContact.beats.through.objects.values("topic_id").annotate(n=Count("pk"))
    beat = beats.order_by("-n").first()
    busiest_list = (
        Membership.objects.filter(left_at__isnull=True)
        .values("media_list_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    list_id = busiest_list["media_list_id"] if busiest_list else MediaList.objects.first().pk
    tag = ContactTag.objects.order_by("pk").first()
    tag_id = tag.pk if tag else 0
    first_names = MediaContact.objects.values("first_name").annotate(n=Count("pk"))
    common_first = first_names.order_by("-n").first()["first_name"]
    someone = MediaContact.objects.filter(outlet__isnull=False).order_by("pk")[total // 3]
    outlet = Outlet.objects.order_by("pk")[Outlet.objects.count() // 2]
    q = urllib.parse.quote_plus
    urls = [
        ("page 1", CHANGELIST),
        (f"page {deep:,}", f"{CHANGELIST}?p={deep}"),
        ("sorted by name, descending", f"{CHANGELIST}?o=-1"),
        ("sorted by name, ascending, p2", f"{CHANGELIST}?o=1&p=2"),
        ("filter outlet kind", f"{CHANGELIST}?outlet_kind=newspaper"),
        ("filter beat (busiest)", f"{CHANGELIST}?beat={beat['topic_id'] if beat else 0}"),
        ("filter region", f"{CHANGELIST}?region=london"),
        ("filter language", f"{CHANGELIST}?language=ko"),
        ("filter country", f"{CHANGELIST}?country=KR"),
        ("filter country, page 20", f"{CHANGELIST}?country=KR&p=20"),
        ("filter time zone", f"{CHANGELIST}?time_zone=Asia%2FTokyo"),
        ("filter tag", f"{CHANGELIST}?tag={tag_id}"),
        ("filter list (largest)", f"{CHANGELIST}?list={list_id}"),
        ("filter do-not-contact", f"{CHANGELIST}?do_not_contact__exact=1"),
        ("filters combined", f"{CHANGELIST}?outlet_kind=broadcast&language=es"),
        ("filters combined (country, tag)", f"{CHANGELIST}?country=JP&tag={tag_id}"),
        (f"search common first name ({common_first})", f"{CHANGELIST}?q={q(common_first)}"),
        (f"search rare last name ({RARE_LAST_NAME})", f"{CHANGELIST}?q={RARE_LAST_NAME}"),
        ("search missing name (zyxwv)", f"{CHANGELIST}?q=zyxwv"),
        ("search an email", f"{CHANGELIST}?q={q(someone.email)}"),
        ("search an email domain", f"{CHANGELIST}?q={q('@' + someone.email.split('@')[1])}"),
        ("search an outlet name (quoted)", f"{CHANGELIST}?q={q(chr(34) + outlet.name + chr(34))}"),
        ("search an outlet word (observer)", f"{CHANGELIST}?q=observer"),
        ("search two names (anna müller)", f"{CHANGELIST}?q={q('anna müller')}"),
        ("search two names (maria muller)", f"{CHANGELIST}?q={q('maria muller')}"),
        ("search four words (john smith new york)", f"{CHANGELIST}?q={q('john smith new york')}"),
        ("search name + outlet (chen times)", f"{CHANGELIST}?q={q('chen times')}"),
        ("search + filter (smith, newspaper)", f"{CHANGELIST}?q=smith&outlet_kind=newspaper"),
        ("search p3 (garcia)", f"{CHANGELIST}?q=garcia&p=3"),
    ]
    return urls, total


def measure(client, path, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        response = client.get(path)  # warm-up
    except Exception as error:  # a statement timeout, most likely
        return {"path": path, "error": repr(error)[:300]}
    if response.status_code != 200:
        return {"path": path, "error": f"HTTP {response.status_code}"}
    timings, slowest = [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        timings.append(elapsed)
        if slowest is None or elapsed >= slowest[0]:
            slowest = (elapsed, list(queries.captured_queries))
    counts = [
        q["sql"]
        for q in slowest[1]
        if "COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"].upper()
    ]
    page = response.content.decode()
    counted = COUNT_TEXT.search(page, max(0, page.find('class="paginator"')))
    return {
        "path": path,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "runs_ms": [round(t, 1) for t in timings],
        "queries": len(slowest[1]),
        "full_counts": len(counts),
        "rows_shown": page.count('name="_selected_action"'),
        "result_count": " ".join(counted.group(1).split()) if counted else "?",
        "sql": [{"ms": float(q["time"]) * 1000, "sql": q["sql"][:2000]} for q in slowest[1]],
    }


def probe_changelist(output, runs):
    setup_django()
    client = bench_client()
    urls, total = changelist_urls()
    found = {"contacts": total, "pages": {}}
    for name, path in urls:
        found["pages"][name] = measure(client, path, runs)
        page = found["pages"][name]
        figures = (
            page["error"]
            if "error" in page
            else f"median {page['median_ms']:7.1f} ms, max {page['max_ms']:7.1f} ms, "
            f"{page['queries']} queries, {page['result_count']}"
        )
        say(f"  {name:<44} {figures}")
    Path(output).write_text(json.dumps(found))


def peak_rss_mb():
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def probe_import(output, csv_path):
    """Upload the file, map its columns as suggested, check, confirm and write it, through the
    admin and the task."""
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contacts.imports import run_import
    from contacts.models import ImportJob, MediaContact, MediaList

    client = bench_client()
    media_list = MediaList.objects.create(name=f"CRM bench import {time.time_ns()}")
    data = Path(csv_path).read_bytes()
    contacts_before = MediaContact.objects.order_by().values("pk").count()
    found = {"file_bytes": len(data), "rss_before_mb": memory("self")["rss_mb"]}
    steps = {}

    started = time.perf_counter()
    file = SimpleUploadedFile(Path(csv_path).name, data, content_type="text/csv")
    response = client.post(
        IMPORT_URL,
        {"file": file, "format": "auto", "media_list": media_list.pk, "import_valid_rows": "on"},
    )
    steps["upload (request)"] = time.perf_counter() - started
    del file
    if response.status_code != 302:
        found["error"] = f"upload answered HTTP {response.status_code}"
        Path(output).write_text(json.dumps(found))
        return
    job = ImportJob.objects.latest("pk")

    started = time.perf_counter()
    page = client.get(response["Location"]).content.decode()  # the mapping page
    steps["mapping page (request)"] = time.perf_counter() - started
    started = time.perf_counter()
    mapped = suggested_mapping(page)
    response = client.post(response["Location"], mapped)
    steps["map (request)"] = time.perf_counter() - started
    job.refresh_from_db()
    found["mapping"] = {"header_row": job.header_row, "columns": job.columns}
    if job.status != ImportJob.Status.CHECKING:
        found["error"] = f"the mapping left the import {job.status}"
        Path(output).write_text(json.dumps(found))
        return

    started = time.perf_counter()
    run_import.call(job.pk)  # the check, as the worker runs it
    steps["check (task)"] = time.perf_counter() - started
    job.refresh_from_db()
    found["checked"] = {
        "status": job.status,
        "new": job.new_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "invalid": job.invalid_count,
        "skipped": job.skipped_count,
        "new_outlets": job.new_outlet_count,
        "joining_list": job.joined_list_count,
    }

    started = time.perf_counter()
    response = client.post(f"{IMPORT_URL}{job.pk}/confirm/")
    steps["confirm (request)"] = time.perf_counter() - started

    started = time.perf_counter()
    run_import.call(job.pk)  # the write
    steps["write (task)"] = time.perf_counter() - started
    job.refresh_from_db()
    found["status"] = job.status
    found["message"] = job.message
    found["contacts_added"] = MediaContact.objects.order_by().values("pk").count() - contacts_before
    found["members_of_list"] = media_list.memberships.count()
    found["steps_s"] = {name: round(seconds, 2) for name, seconds in steps.items()}
    found["total_s"] = round(sum(steps.values()), 2)
    found["peak_rss_mb"] = peak_rss_mb()
    Path(output).write_text(json.dumps(found))


def suggested_mapping(page):
    """What the mapping page suggests, as its form would post it: the heading row, and each
    column's selected field."""
    data = {"header_row": HEADER_ROW.search(page).group(1)}
    for number, options in COLUMN_SELECT.findall(page):
        chosen = SELECTED.search(options)
        data[f"column_{number}"] = chosen.group(1) if chosen else ""
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("probe", choices=["changelist", "import"])
    parser.add_argument("--output", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--csv")
    args = parser.parse_args()
    if args.probe == "changelist":
        probe_changelist(args.output, args.runs)
    else:
        probe_import(args.output, args.csv)


if __name__ == "__main__":
    main()
