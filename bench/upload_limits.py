"""Refusing contact files past the upload limits (contacts/imports/limits.py): how long it takes
and how much memory, and what the checks cost a genuine file.

    .venv/bin/python -m bench.upload_limits
    .venv/bin/python -m bench.upload_limits --rows 100000     (a bigger genuine workbook)
    .venv/bin/python -m bench.upload_limits --compare         (also calamine alone, as before)

The files are made in a temporary folder:
- xfd1048576.xlsx: a minimal workbook (about 1.6 KB) whose only cell is XFD1048576, which
  made python-calamine allocate 16,384 × 1,048,576 cells and abort the process;
- cv200000.xlsx: the same with its only cell at CV200000, which calamine alone read slowly
  and into a great deal of memory (--compare measures it);
- zip-bomb.xlsx: a sheet of 100 MB of spaces, compressed about 1,000 times;
- contacts.xlsx and contacts.csv: --rows genuine contacts (18 columns, as an export), read to
  the end: what the checks add to a real import.

Each file goes through the upload request's check (inspect_upload) and through the worker's
(read_table, every row read), each in a process of its own: its time, and the peak resident
memory of the step above what the process held before it (the kernel's high-water mark, reset
just before the step). No database is used. Results also go to
bench/results/upload-limits-<time>.json (git-ignored). Targets: a limit file refused in under
1 s and 50 MB.
"""

import argparse
import datetime
import io
import json
import os
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from bench.server import PYTHON, ROOT, clean_environ, print_checks, say, write_results

TARGET_SECONDS = 1
TARGET_MB = 50
HEADINGS = [
    "Email", "First name", "Last name", "Phone", "Outlet", "Job title", "Beats", "Regions",
    "Languages", "Notes", "Source", "Consent basis", "Consent date", "Do not contact",
    "Do-not-contact reason", "Do-not-contact since", "Created", "Updated",
]  # fmt: skip
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)


def minimal_workbook(sheet_data):
    """The smallest workbook Excel opens, its one sheet holding `sheet_data` (XML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets><sheet name="Sheet1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>',
        )
    return buffer.getvalue()


def one_cell(ref):
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return minimal_workbook(f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>')


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(one_cell("A1"))) as source:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    content = content.replace(b"<sheetData>", b" " * 100_000_000 + b"<sheetData>")
                target.writestr(info.filename, content)
    return buffer.getvalue()


def contacts(rows):
    """An export-like workbook and CSV file of `rows` contacts."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(HEADINGS)
    lines = [",".join(HEADINGS)]
    for n in range(rows):
        row = [
            f"person{n}@outlet{n % 500}.example", "Anna", f"Müller {n}", "'+44 20 7946 0000",
            f"Outlet {n % 500}", "Editor", "", "Berlin", "de", "", "Import of contacts.csv",
            "Asked", "2024-03-01", "", "", "", "2025-01-01 10:00", "2025-01-01 10:00",
        ]  # fmt: skip
        sheet.append(row)
        lines.append(",".join(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), ("\r\n".join(lines) + "\r\n").encode()


def child(path, step):
    """Run in a process of its own: one step on one file, its figures printed as JSON."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    django.setup()
    from contacts.imports.limits import ImportFileError
    from contacts.imports.reading import inspect_upload, read_table

    data = Path(path).read_bytes()
    file_format = "csv" if path.endswith(".csv") else "xlsx"
    reset_peak()
    before = memory_mb("VmRSS")
    started = time.perf_counter()
    try:
        if step == "request":
            outcome = f"accepted, {inspect_upload(Path(path).name, data).row_count:,} rows"
        elif step == "worker":
            table = read_table(data, file_format)
            outcome = f"read, {sum(1 for _ in table.rows):,} rows"
        else:  # calamine alone, as the worker read a workbook before the limits
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            outcome = f"read, {len(sheet.to_python(skip_empty_area=False)):,} rows"
    except ImportFileError as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    say(json.dumps({"seconds": seconds, "peak_mb": peak - before, "outcome": outcome}))


def reset_peak():
    """Reset the kernel's high-water mark of this process's resident memory (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def memory_mb(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == key:
            return int(value.split()[0]) / 1024
    raise LookupError(key)


def measure(path, step):
    result = subprocess.run(
        [PYTHON, "-m", "bench.upload_limits", "--child", str(path), step],
        capture_output=True,
        text=True,
        env={**clean_environ(), "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    if result.returncode:
        last = (result.stderr.strip().splitlines() or [""])[-1]
        outcome = f"crashed (exit {result.returncode}): {last}"
        return {"seconds": None, "peak_mb": None, "outcome": outcome}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the genuine files")
    parser.add_argument("--compare", action="store_true", help="also read CV200000 unchecked")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        say("Making the files...")
        files = {
            "xfd1048576.xlsx": one_cell("XFD1048576"),
            "cv200000.xlsx": one_cell("CV200000"),
            "zip-bomb.xlsx": zip_bomb(),
        }
        files["contacts.xlsx"], files["contacts.csv"] = contacts(args.rows)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        steps = [(name, step) for name in files for step in ("request", "worker")]
        if args.compare:
            steps += [("xfd1048576.xlsx", "calamine alone"), ("cv200000.xlsx", "calamine alone")]
        results, checks = [], []
        for name, step in steps:
            figures = measure(folder / name, step)
            results.append({"file": name, "bytes": len(files[name]), "step": step, **figures})
            seconds = "-" if figures["seconds"] is None else f"{figures['seconds']:.3f} s"
            peak = "-" if figures["peak_mb"] is None else f"{figures['peak_mb']:.1f} MB"
            say(f"{name:<16} {len(files[name]):>11,} B  {step:<15} {seconds:>9} {peak:>10}  "
                f"{figures['outcome'][:90]}")  # fmt: skip
            if figures["outcome"].startswith("refused") and step != "calamine alone":
                fast = figures["seconds"] < TARGET_SECONDS and figures["peak_mb"] < TARGET_MB
                checks.append(
                    {
                        "target": f"{name} refused ({step}) in < {TARGET_SECONDS} s, "
                        f"< {TARGET_MB} MB",
                        "measured": f"{seconds}, {peak}",
                        "met": fast,
                        "detail": "",
                    }
                )
    say()
    print_checks(checks)
    path = write_results(
        f"upload-limits-{datetime.datetime.now():%Y%m%d-%H%M%S}",
        {"rows": args.rows, "load_average": os.getloadavg(), "results": results},
    )
    say(f"\nResults: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
