"""Screenshots of every public page type at 390, 768 and 1280 px, light and dark.

    make screenshots          (or: .venv/bin/python -m bench.screenshots [--only home,person])

--only retakes those pages and keeps the others' screenshots.

Builds a throwaway copy of the demo site (its drawn pictures included) on a fresh SQLite
database in a temporary directory, serves it with gunicorn on a free port of 127.0.0.1, and
photographs each page whole in Debian's Chromium through Playwright, with
`prefers-color-scheme` set to light and to dark. Writes screenshots/<page>-<width>-<scheme>.png
(git-ignored) and screenshots/index.html, which shows them side by side. The server is stopped
whatever happens.

The site runs as production does (DEBUG off, bench.settings), and serves the uploaded pictures
itself (BENCH_SERVE_MEDIA; in production the web server or the object store does).
"""

import argparse
import html
import shutil
import sys

from bench.server import ROOT, demo_site, say
from tests.chromium import CHROMIUM_ARGS

OUT = ROOT / "screenshots"
WIDTHS = (390, 768, 1280)
SCHEMES = ("light", "dark")
REFERENCE_RELEASE = (
    "/releases/2021/09/23/resilient-cities-network-strengthens-ties-to-korea-adding-new-"
    "leadership-and-renewing-commitments-to-collaboration/"
)
PAGES = {
    "home": "/",
    "release-list": "/releases/",
    "archive-year": "/releases/2021/",
    "release": REFERENCE_RELEASE,
    "release-ko": "/ko/releases/2023/09/12/seoul-smart-safety-checks-ko/",
    "release-ar": "/ar/releases/2023/09/12/seoul-smart-safety-checks-ar/",
    "topics": "/topics/",
    "topic": "/topics/urban-resilience/",
    "person": "/people/lauren-sorkin/",
    "organization": "/organizations/resilient-cities-network/",
    "leadership": "/leadership/",
    "search": "/search/?q=resilience",
    "press-contacts": "/press-contacts/",
    "subscribe": "/subscribe/",
    "not-found": "/no-such-page/",
}


def photograph(base, pages, out):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for scheme in SCHEMES:
                    page.emulate_media(color_scheme=scheme)
                    for name, path in pages.items():
                        page.goto(base + path, wait_until="load")
                        # Lazy pictures load as they scroll into view: scroll down, wait for
                        # each, then photograph the whole page from the top.
                        page.evaluate(SCROLL_THROUGH)
                        page.wait_for_load_state("networkidle")
                        file = out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(file), full_page=True)
                        shots.append((name, width, scheme, file.name))
                        say(f"{file.relative_to(ROOT)}")
                context.close()
        finally:
            browser.close()
    return shots


SCROLL_THROUGH = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise(resolve => setTimeout(resolve, 60));
    }
    await Promise.all([...document.images].map(image => image.decode().catch(() => null)));
    window.scrollTo(0, 0);
}"""


def write_index(out):
    """screenshots/index.html: each page type in a row, its widths and schemes side by side
    (those taken now and those kept from an earlier run with --only)."""
    rows = []
    for name in PAGES:
        files = [
            (width, scheme, f"{name}-{width}-{scheme}.png")
            for width in WIDTHS
            for scheme in SCHEMES
            if (out / f"{name}-{width}-{scheme}.png").exists()
        ]
        if not files:
            continue
        cells = "".join(
            f'<figure><a href="{file}"><img src="{file}" alt="" loading="lazy"></a>'
            f"<figcaption>{width} px, {scheme}</figcaption></figure>"
            for width, scheme, file in files
        )
        rows.append(f"<h2>{html.escape(name)}</h2><div class=row>{cells}</div>")
    (out / "index.html").write_text(
        "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Newsroom screenshots</title>"
        "<style>body{font-family:system-ui;margin:1rem}.row{display:flex;gap:1rem;"
        "align-items:flex-start;overflow-x:auto}figure{margin:0}img{width:220px;"
        "border:1px solid #ccc}</style><h1>Newsroom screenshots</h1>" + "".join(rows)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated page names: " + ", ".join(PAGES))
    args = parser.parse_args()
    pages = PAGES
    if args.only:
        pages = {name: PAGES[name] for name in args.only.split(",")}
    OUT.mkdir(exist_ok=True)
    if not args.only:
        for old in OUT.glob("*.png"):
            old.unlink()
    with demo_site("newsroom-screenshots-") as (server, _):
        shots = photograph(server.base, pages, OUT)
    write_index(OUT)
    say(f"\n{len(shots)} screenshots in {OUT.relative_to(ROOT)}/ (open index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
