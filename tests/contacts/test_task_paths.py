"""The task queue stores a task by its dotted path and a worker imports that path to run it: a
task queued before an upgrade must still run after it. Every task of contacts is found again at
the path it is stored under, and the paths tasks were first queued under still hold, wherever
their code lives now (contacts/task_paths.py)."""

import importlib
import pkgutil

from django.utils.module_loading import import_string
from django_tasks.base import Task

import contacts

FIRST_QUEUED_AS = {
    "contacts.imports.run_import",
    "contacts.subscriptions.sign_up",
    "contacts.tasks.dispatch_due",
    "contacts.tasks.send_mailing",
}


def tasks_of_contacts():
    found = {}
    for module in pkgutil.walk_packages(contacts.__path__, "contacts."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Task):
                found[value.module_path] = value
    return found


def test_every_task_is_found_at_the_path_the_queue_stores_it_under():
    tasks = tasks_of_contacts()

    assert {path: import_string(path) for path in tasks} == tasks


def test_the_paths_tasks_were_first_queued_under_still_hold():
    assert set(tasks_of_contacts()) == FIRST_QUEUED_AS
