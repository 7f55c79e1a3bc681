"""Mailings: a release sent to people, as topic alerts to subscribers or as sends to media lists
and contacts; every email sent exactly once, by the task workers; embargoed releases reached
through each journalist's own link."""
