"""What partners are told: each turn compares the releases with what partners were last told
(Announced) and makes one message per change and endpoint.

- A release live now that partners do not know as live: release.published. Scheduled releases
  are told at their minute this way (the dispatcher turns every 30 seconds); nothing needs to
  have been saved at that minute.
- A live release saved since (its updated_at moved): release.corrected if its correction time
  moved (Release.correct()), else release.updated.
- A release partners know as live that no longer is (unpublished, archived, expired, deleted):
  release.unpublished.

Every step is a conditional write, so two dispatchers (or a dispatcher and the task a save
queues) tell each change once.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from api.models import Announced, Delivery, Endpoint
from api.models.webhooks import Event
from api.ninjs import for_ninjs, ninjs
from press.models import Release

# Releases told per kind of change and turn: a turn after a large import stays short, and the
# next turns tell the rest, oldest first.
BATCH = 200


def announce(now=None):
    """One turn; returns the messages made."""
    now = now or timezone.now()
    tell = Teller(now)
    live = Release.objects.live(now).defer("search_vector")
    known_live = Announced.objects.filter(live=True)
    made = []
    untold = live.exclude(Exists(known_live.filter(release_id=OuterRef("pk"))))
    for release in for_ninjs(untold.order_by("published_at", "pk")[:BATCH]):
        if _told_live(release, now):
            made += tell(Event.PUBLISHED, release)
    changed = known_live.filter(release_id=OuterRef("pk")).exclude(
        updated_at=OuterRef("updated_at")
    )
    releases = for_ninjs(live.filter(Exists(changed)).order_by("updated_at", "pk")[:BATCH])
    # What partners were told of each, read together (the update below checks it still holds).
    known = Announced.objects.in_bulk([release.pk for release in releases])
    for release in releases:
        told = known[release.pk]
        if Announced.objects.filter(pk=release.pk, live=True, updated_at=told.updated_at).update(
            updated_at=release.updated_at, corrected_at=release.corrected_at, told_at=now
        ):
            corrected = release.corrected_at != told.corrected_at
            made += tell(Event.CORRECTED if corrected else Event.UPDATED, release)
    for told in known_live.exclude(release_id__in=live.values("pk"))[:BATCH]:
        if Announced.objects.filter(pk=told.pk, live=True).update(live=False, told_at=now):
            made += tell(Event.UNPUBLISHED, None, release_id=told.pk)
    return made


def _told_live(release, now):
    """Record that partners know `release` as live; False if someone else just did."""
    values = {"live": True, "updated_at": release.updated_at, "corrected_at": release.corrected_at}
    if Announced.objects.filter(pk=release.pk, live=False).update(told_at=now, **values):
        return True
    try:
        with transaction.atomic():
            Announced.objects.create(release_id=release.pk, told_at=now, **values)
    except IntegrityError:
        return False
    return True


class Teller:
    """Makes a turn's messages: a pending message of an event to every endpoint that asked for
    it, the endpoints read once per event and turn, not once per release."""

    def __init__(self, now):
        self.now = now
        self.endpoints = {}

    def __call__(self, event, release, release_id=None):
        if event not in self.endpoints:
            self.endpoints[event] = Endpoint.objects.listening(event)
        if not self.endpoints[event]:
            return []
        payload = {
            "type": event,
            "timestamp": self.now.isoformat(),
            "data": data(release, release_id),
        }
        return [
            Delivery.objects.create(
                endpoint=endpoint,
                event=event,
                release_id=release.pk if release else release_id,
                payload=payload,
                next_attempt_at=self.now,
                created_at=self.now,
            )
            for endpoint in self.endpoints[event]
        ]


def data(release, release_id=None):
    """What a message says: for a release no longer public, only which one it was."""
    if release is None:
        return {"id": release_id}
    return {
        "id": release.pk,
        "url": site_url(release.get_absolute_url()),
        "api_url": site_url(f"/api/v1/releases/{release.pk}/"),
        "ninjs": ninjs(release, site_url),
    }


def site_url(path):
    return settings.SITE_URL.rstrip("/") + path
