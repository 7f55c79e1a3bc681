import datetime
import functools
import ipaddress
import logging
import re
from collections import Counter
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import get_language_from_path

from core.after_response import after_response
from core.redis_cache import redis_client
from press.models.releases import Release

logger = logging.getLogger(__name__)

# Rows per INSERT when waiting reads are added to the database.
ROWS_PER_INSERT = 500
# A move taking longer than this (a database stuck for minutes) lets another one start.
MOVE_LOCK_SECONDS = 600
# Reads are kept per hour for this long after a release's publication (insights' first hours).
HOURLY_FOR = datetime.timedelta(hours=48)
HOUR = datetime.timedelta(hours=1)
# A host name as DNS spells it (lower case); anything else in a Referer is not kept.
LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
HOST_NAME = re.compile(rf"(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*")


def read_buffer():
    """Redis, where reads wait to be added to the database together, or None (no Redis):
    each read is then added on its own."""
    return redis_client(settings.READS_REDIS_URL) if settings.READS_REDIS_URL else None


# One round trip for a read: count it (and the site it came from, if any), and say whether a
# move is due (no move in the last READS_MOVE_SECONDS). A script, as a redis-py pipeline of the
# same commands is slower.
RECORD_READ = """
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if ARGV[3] ~= '' then redis.call('HINCRBY', KEYS[1], ARGV[3], 1) end
if redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[2]) then return 1 end
return 0
"""


@functools.cache
def record_script(buffer):
    return buffer.register_script(RECORD_READ)


def read_counter(address, request, now):
    """Where a read of a release page served from the page cache waits, for the page cache to
    count it in its look-up (core.page_cache.on_hit): the waiting hash and the read's fields,
    "{}" standing for the release. None for the look-up of another page (the `address` of a
    release page, a URL pattern, in any language, tells them apart), or when reads do not wait
    in the cache's Redis. Reads counted so reach the database with the next move: the one a
    rendered page's read makes when due (record()), or the dispatcher's. Asked at each look-up
    of a page: what it works out is remembered (is_address_of(), day_and_hour())."""
    if not settings.READS_REDIS_URL or settings.READS_REDIS_URL != cache_location():
        return None
    if not is_address_of(address, request.path_info):
        return None
    host = referrer_host(request.META.get("HTTP_REFERER"))
    read, came_from = read_fields("{}", now, host)
    return buffer_key("waiting"), [read, came_from] if came_from else [read]


@functools.lru_cache(maxsize=4096)
def is_address_of(address, path):
    """Whether `path` matches the URL pattern `address`, in any language (/es/releases/...)."""
    language = get_language_from_path(path)
    if language:
        path = path.removeprefix(f"/{language}")
    return address.match(path.removeprefix("/")) is not None


def cache_location():
    return settings.CACHES["default"].get("LOCATION")


def buffer_key(name):
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:reads:{name}"


def referrer_host(referer):
    """The host name of the page a reader came from (`Referer`), or "" when there is none or
    it is an IP address: the site is kept, never the address on it, nor anything of the reader."""
    if not referer:
        return ""
    try:
        host = urlsplit(referer).hostname or ""
    except ValueError:
        return ""
    if not HOST_NAME.fullmatch(host):
        return ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host
    return ""


def read_fields(release_id, now, host):
    """The waiting hash's fields a read at the timestamp `now` adds to: `<release>:<day>:<hour>`
    (the local day, the UTC hour since 1970) and, when the reader came from another page,
    `from:<release>:<host>`."""
    day, hour = day_and_hour(int(now) // 60, timezone.get_default_timezone())
    return f"{release_id}:{day}:{hour}", f"from:{release_id}:{host}" if host else ""


@functools.lru_cache(maxsize=4)
def day_and_hour(minute, zone):
    """The day in `zone` (the site's) and the UTC hour of a minute since 1970 (every time
    zone's offset is whole minutes): worked out once a minute, not at each read."""
    moment = datetime.datetime.fromtimestamp(minute * 60, datetime.UTC)
    return timezone.localdate(moment, zone).isoformat(), minute // 60


def parse_fields(counted):
    """{field: count} of the waiting hash as ({(release, day): n}, {(release, hour): n},
    {(release, host): n}). Fields of the older `<release>:<day>` form count for their day."""
    days, hours, hosts = Counter(), Counter(), Counter()
    for field, count in counted.items():
        field = field.decode() if isinstance(field, bytes) else field
        count = int(count)
        if field.startswith("from:"):
            _, release_id, host = field.split(":", 2)
            hosts[int(release_id), host] += count
            continue
        release_id, day, *hour = field.split(":")
        days[int(release_id), datetime.date.fromisoformat(day)] += count
        if hour:
            start = datetime.datetime.fromtimestamp(int(hour[0]) * 3600, datetime.UTC)
            hours[int(release_id), start] += count
    return days, hours, hosts


class ReleaseReadQuerySet(models.QuerySet):
    def record_when_sent(self, release_id, request=None):
        """Count a read of the release once the response has been sent: counting never delays
        a reader. For rendered pages and pages served from the page cache alike. Of the request,
        only the referring page's host name is kept."""
        host = referrer_host(request.META.get("HTTP_REFERER")) if request is not None else ""
        after_response(functools.partial(self.record_safely, release_id, host))

    def record_safely(self, release_id, host=""):
        try:
            self.record(release_id, host)
        except DatabaseError:
            logger.warning("Could not count a read of release %s", release_id, exc_info=True)

    def record(self, release_id, host=""):
        """Count one read of a release now (its day, its hour, the host it came from). With
        Redis, the read waits there (one round trip, no database write) and whoever records the
        first read after READS_MOVE_SECONDS moves every waiting read to the database; without
        it, the read is added at once."""
        read, came_from = read_fields(release_id, timezone.now().timestamp(), host)
        buffer = read_buffer()
        if buffer is not None:
            try:
                due = record_script(buffer)(
                    keys=[buffer_key("waiting"), buffer_key("moved")],
                    args=[read, settings.READS_MOVE_SECONDS, came_from],
                )
            except redis.RedisError:
                logger.warning("Reads cannot wait in Redis: counted at once", exc_info=True)
            else:
                if due:
                    self.try_move_waiting()
                return
        self.add_waiting({read: 1, **({came_from: 1} if came_from else {})})

    def move_waiting_when_due(self):
        """Move the waiting reads if no move was made in the last READS_MOVE_SECONDS (for a
        process that records no reads, such as the dispatcher, so counts arrive without traffic)."""
        buffer = read_buffer()
        if buffer is None:
            return
        try:
            due = buffer.set(buffer_key("moved"), 1, nx=True, ex=settings.READS_MOVE_SECONDS)
        except redis.RedisError:
            logger.warning("Redis unavailable: waiting reads not moved", exc_info=True)
            return
        if due:
            self.try_move_waiting()

    def try_move_waiting(self):
        try:
            self.move_waiting()
        except (DatabaseError, redis.RedisError):
            logger.warning("Waiting reads not moved: kept for the next move", exc_info=True)

    def move_waiting(self):
        """Add the reads waiting in Redis to the database; returns how many were added, 0 also
        when another process is moving them.

        One move at a time (a Redis lock, so over every app server). The waiting hash is renamed
        first, so reads recorded meanwhile wait for the next move; a move that fails (database
        down, process killed) leaves the renamed hash in place and the next move adds it before
        anything else: no read is lost, none counted twice. Only a move held up longer than
        MOVE_LOCK_SECONDS could meet another one."""
        buffer = read_buffer()
        if buffer is None:
            return 0
        lock = buffer.lock(buffer_key("lock"), timeout=MOVE_LOCK_SECONDS, blocking=False)
        if not lock.acquire():
            return 0
        try:
            moving = buffer_key("moving")
            try:
                buffer.renamenx(buffer_key("waiting"), moving)
            except redis.ResponseError:
                pass  # nothing waiting; a hash left by a failed move may still be there
            moved = self.add_waiting(buffer.hgetall(moving))
            buffer.delete(moving)
        finally:
            lock.release()
        return moved

    def add_waiting(self, counted):
        """Add the waiting hash's {field: count} to the database; returns how many reads.
        Reads of releases deleted since they were read are dropped (a release deleted during
        the move fails it, and the next move drops it); hours are kept for a release's first
        HOURLY_FOR after its publication only."""
        days, hours, hosts = parse_fields(counted)
        published = dict(
            Release.objects.filter(pk__in={pk for pk, _ in days}).values_list("pk", "published_at")
        )
        days = {key: count for key, count in days.items() if key[0] in published}
        hours = {
            (pk, hour): count
            for (pk, hour), count in hours.items()
            if published.get(pk) and published[pk] - HOUR < hour < published[pk] + HOURLY_FOR
        }
        hosts = {key: count for key, count in hosts.items() if key[0] in published}
        if days:
            self.add_counts(days, hours, hosts)
        return sum(days.values())

    def add_counts(self, counts, hours=None, hosts=None):
        """Add {(release_id, day): reads} (and {(release_id, hour): reads}, {(release_id, host):
        reads}) to the database in a few statements that several app servers can run at once,
        in one transaction (Django's ORM has no "insert or add"; the SQL is valid on PostgreSQL
        and SQLite). On PostgreSQL the commit does not wait for the disk: a crash may lose the
        last fraction of a second of counts, a reader never waits for a flush."""
        # Applies at the commit, so it can ride with the first insert: one round trip for one read.
        no_wait = (
            "; SET LOCAL synchronous_commit TO OFF" if connection.vendor == "postgresql" else ""
        )
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            add_rows(cursor, self.model, "day", counts, no_wait)
            add_rows(cursor, ReleaseReadHour, "hour", hours or {})
            add_rows(cursor, ReleaseReferrer, "host", hosts or {})

    def since(self, days):
        return self.filter(day__gte=timezone.localdate() - datetime.timedelta(days=days))


def add_rows(cursor, model, key, counts, then=""):
    """INSERT ... ON CONFLICT DO UPDATE adding {(release_id, key): count} to `model`'s counts,
    in one order for every writer (no deadlocks)."""
    quote, meta = connection.ops.quote_name, model._meta
    table = quote(meta.db_table)
    release, column, count = (
        quote(meta.get_field(name).column) for name in ("release", key, "count")
    )
    rows = sorted(counts.items())
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start : start + ROWS_PER_INSERT]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        cursor.execute(
            f"INSERT INTO {table} ({release}, {column}, {count}) VALUES {values} "
            f"ON CONFLICT ({release}, {column}) DO UPDATE "
            f"SET {count} = {table}.{count} + excluded.{count}" + (then if not start else ""),
            [value for (pk, when), reads in chunk for value in (pk, when, reads)],
        )


class ReleaseRead(models.Model):
    """How many times a release was read on a day. No reader is recorded, only the count."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="reads")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    objects = ReleaseReadQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["release", "day"], name="one_read_count_per_day")
        ]
        indexes = [
            # Popular topics and "you may also be interested in": reads since a day.
            models.Index(fields=["day", "release"], name="read_day_idx"),
        ]

    def __str__(self):
        return f"{self.release_id} on {self.day}: {self.count}"


class ReleaseReadHour(models.Model):
    """How many times a release was read in one hour (UTC) of its first 48 hours."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="hourly_reads")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hour"]
        constraints = [
            models.UniqueConstraint(fields=["release", "hour"], name="one_read_count_per_hour")
        ]

    def __str__(self):
        return f"{self.release_id} at {self.hour:%Y-%m-%d %H}h: {self.count}"


class ReleaseReferrer(models.Model):
    """How many reads of a release came from a site: its host name alone (as the Referer
    header named it), never the page's address, nor anything of the reader."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="referrers")
    host = models.CharField(max_length=253)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-count", "host"]
        constraints = [
            models.UniqueConstraint(fields=["release", "host"], name="one_count_per_referrer")
        ]

    def __str__(self):
        return f"{self.release_id} from {self.host}: {self.count}"
