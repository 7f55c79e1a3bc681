"""Subscriptions: members of the public who sign up for our releases by email, confirm, choose
topics, pause, resume and unsubscribe; the signed links that let them, the sign-up's rate
limits, and their emails. `sign_up` is named here, where the task queue stores it
(contacts/task_paths.py)."""

from contacts.subscriptions.tasks import sign_up

__all__ = ["sign_up"]
