"""Contacts in and out of spreadsheets: the import (upload limits, the workbook check, reading,
the plan a dry run shows, the write) and the export whose columns it shares, every cell
neutralised against formula injection. `run_import` is named here, where the task queue stores
it (contacts/task_paths.py)."""

from contacts.imports.tasks import run_import

__all__ = ["run_import"]
