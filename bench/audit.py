"""Lighthouse scores for the home page, the release list, the reference release, a topic and a
person, with the demo's pictures.

    make audit                  (or: .venv/bin/python -m bench.audit [--dark])

Builds a throwaway copy of the demo site as production runs it (DEBUG off, hashed and compressed
static files collected and served by whitenoise, gunicorn) on a fresh SQLite database in a
temporary directory, serves it on a free port on 127.0.0.1 only, and runs Lighthouse 12.8.2 from
node_modules in Debian's Chromium with its mobile defaults (simulated slow 4G and a mid-range
phone). Prints a table of scores, writes bench/results/audit.json (git-ignored) with the audits
that lost points, and exits 1 if accessibility scores below 100, best practices or SEO below 95, or
performance below 90. Every step has a time limit and the server is stopped whatever happens.

--dark runs the same audits with the browser preferring a dark colour scheme (Lighthouse has
no option for it; Chromium's `--blink-settings=preferredColorScheme=0` sets it), into
bench/results/audit-dark.json.

Run it on a quiet machine: performance is measured against the clock.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

from bench.server import ROOT, demo_site, say
from tests.chromium import CHROMIUM_ARGS

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "audit.json"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags the browser tests use, and the new headless mode.
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = {"performance": 90, "accessibility": 100, "best-practices": 95, "seo": 95}
DARK_FLAG = "--blink-settings=preferredColorScheme=0"
PAGES = {
    "home": "/",
    "release list": "/releases/",
    "reference release": (
        "/releases/2021/09/23/resilient-cities-network-strengthens-ties-to-korea-adding-new-"
        "leadership-and-renewing-commitments-to-collaboration/"
    ),
    "topic": "/topics/urban-resilience/",
    "person": "/people/lauren-sorkin/",
}
# Audits whose score is not a pass or fail of the page.
UNSCORED = {"notApplicable", "manual", "informative", "error"}


def describe_item(item):
    """One offending thing from an audit's details, in a line: a URL, a message, an element."""
    node = item.get("node") or {}
    parts = [
        item.get("source"),
        item.get("description"),
        item.get("url") or (item.get("sourceLocation") or {}).get("url"),
        node.get("selector"),
        node.get("snippet"),
    ]
    return " | ".join(str(part) for part in parts if part)


def lighthouse(url, report, flags, attempts=3):
    # On a loaded machine Lighthouse now and then fails to record the page load (NO_NAVSTART):
    # such a run measured nothing, so it is run again.
    for attempt in range(1, attempts + 1):
        try:
            return lighthouse_once(url, report, flags)
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
            say(f"Lighthouse failed on {url}; again ({attempt + 1} of {attempts})")


def lighthouse_once(url, report, flags):
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(flags)}",
            "--no-enable-error-reporting",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=240,
    )
    result = json.loads(report.read_text())
    scores = {
        category: round(result["categories"][category]["score"] * 100) for category in CATEGORIES
    }
    lost = {}
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["scoreDisplayMode"] not in UNSCORED and audit["score"] < 1:
                lost.setdefault(category, []).append(
                    {
                        "id": audit["id"],
                        "title": audit["title"],
                        "score": audit["score"],
                        "value": audit.get("displayValue", ""),
                        "items": [
                            describe_item(item)
                            for item in (audit.get("details") or {}).get("items", [])[:10]
                        ],
                    }
                )
    metrics = {
        audit_id: result["audits"][audit_id].get("displayValue", "")
        for audit_id in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
    }
    return {
        "url": url,
        "scores": scores,
        "metrics": metrics,
        "lost_points": lost,
        "runtime_error": result.get("runtimeError"),
        "lighthouse": result["lighthouseVersion"],
        "browser": result["environment"]["hostUserAgent"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dark", action="store_true", help="prefer a dark colour scheme")
    dark = parser.parse_args().dark
    flags = [*CHROME_FLAGS, DARK_FLAG] if dark else CHROME_FLAGS
    results = RESULTS.with_name("audit-dark.json") if dark else RESULTS
    if not LIGHTHOUSE.exists():
        say("Lighthouse is not installed: run `npm ci` (or `make audit`).")
        return 2
    with demo_site("newsroom-audit-", ready_path="/") as (server, workdir):
        pages = {}
        for name, path in PAGES.items():
            say(f"Lighthouse: {name} ({path})")
            pages[name] = lighthouse(server.base + path, workdir / "report.json", flags)

    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps({"minimum": MINIMUM, "pages": pages}, indent=2) + "\n")

    width = max(map(len, PAGES))
    say()
    say(f"{'page':<{width}}  " + "  ".join(f"{category:>14}" for category in CATEGORIES))
    failures = []
    for name, page in pages.items():
        cells = []
        for category in CATEGORIES:
            score = page["scores"][category]
            low = score < MINIMUM[category]
            cells.append(f"{score:>13}{'!' if low else ' '}")
            if low:
                failures.append(f"{name}: {category} {score} < {MINIMUM[category]}")
        say(f"{name:<{width}}  " + "  ".join(cells))
    say()
    for name, page in pages.items():
        for category, audits in page["lost_points"].items():
            for audit in audits:
                value = f" ({audit['value']})" if audit["value"] else ""
                say(f"{name}, {category}: {audit['title']}{value} [{audit['id']}]")
                for item in audit["items"]:
                    say(f"    {item}")
    say(f"\nFull results: {results.relative_to(ROOT)}")
    if failures:
        say("Below the minimum: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
