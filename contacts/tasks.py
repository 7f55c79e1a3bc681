"""Where the task queue finds the tasks of mailings: under these paths they were first queued,
so here they stay (contacts/task_paths.py). Their code is in contacts/mailings/tasks.py."""

from contacts.mailings.tasks import dispatch_due, send_mailing

__all__ = ["dispatch_due", "send_mailing"]
