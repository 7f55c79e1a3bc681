"""Tasks keep the dotted path they were first queued under.

django-tasks stores a queued task as the dotted path of its function (`task_path`: the
function's module and name) and a worker imports that path to run it. A task queued before an
upgrade must still run after it, so when a task's code moves to its room the path stays:
`stored_at` gives the function the module it is stored under, and that module imports the task
from its room (contacts/tasks.py, contacts/subscriptions/__init__.py,
contacts/imports/__init__.py). tests/contacts/test_task_paths.py checks every path resolves.
"""


def stored_at(module):
    """Store the decorated task function as `module`.<its name>; put it under `@task()`."""

    def keep(function):
        function.__module__ = module
        return function

    return keep
