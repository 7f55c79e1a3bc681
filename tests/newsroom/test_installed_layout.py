"""Where the settings find the site's templates and static files, and where the site writes, in a
checkout and once installed from the wheel (which carries templates/ and static/ inside the
newsroom package: setup.py). `make wheel-check` builds and runs the real wheel; these read the
settings module in both layouts, each in a fresh interpreter."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
READ = """
import json, runpy, sys
found = runpy.run_path(sys.argv[1])
print(json.dumps({
    "templates": [str(path) for path in found["TEMPLATES"][0]["DIRS"]],
    "static": [str(path) for path in found["STATICFILES_DIRS"]],
    "static_root": str(found["STATIC_ROOT"]),
    "media_root": str(found["MEDIA_ROOT"]),
    "database": str(found["DATABASES"]["default"]["NAME"]),
}))
"""


def read_settings(settings_file, cwd, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "STATIC_ROOT", "MEDIA_ROOT")
    }
    result = subprocess.run(
        [sys.executable, "-c", READ, str(settings_file)],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_in_a_checkout_templates_static_and_what_the_site_writes_are_at_its_root(tmp_path):
    found = read_settings(ROOT / "newsroom" / "settings.py", cwd=tmp_path)

    assert found == {
        "templates": [str(ROOT / "templates")],
        "static": [str(ROOT / "static")],
        "static_root": str(ROOT / "staticfiles"),
        "media_root": str(ROOT / "media"),
        "database": str(ROOT / "db.sqlite3"),
    }


def test_installed_templates_and_static_come_from_the_package_and_writes_go_where_it_runs(
    tmp_path,
):
    package = tmp_path / "site-packages" / "newsroom"
    package.mkdir(parents=True)
    shutil.copy(ROOT / "newsroom" / "settings.py", package)
    (package / "templates").mkdir()
    (package / "static").mkdir()
    deploy = tmp_path / "srv"
    deploy.mkdir()

    found = read_settings(package / "settings.py", cwd=deploy)

    assert found == {
        "templates": [str(package / "templates")],
        "static": [str(package / "static")],
        "static_root": str(deploy / "staticfiles"),
        "media_root": str(deploy / "media"),
        "database": str(deploy / "db.sqlite3"),
    }


def test_static_root_comes_from_the_environment(tmp_path):
    found = read_settings(
        ROOT / "newsroom" / "settings.py", cwd=tmp_path, STATIC_ROOT="/srv/newsroom/static"
    )

    assert found["static_root"] == "/srv/newsroom/static"
