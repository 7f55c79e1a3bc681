"""The arrows between the packages, as pyproject.toml's import-linter contracts draw them:
newsroom (wiring) -> insights -> contacts -> press -> core, never back, and no cycle between
the modules of a package, counting imports inside functions."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_packages_import_each_other_only_one_way_and_in_no_circle(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    exit_code = lint_imports(config_filename="pyproject.toml", no_cache=True)
    assert exit_code == 0, capsys.readouterr().out
