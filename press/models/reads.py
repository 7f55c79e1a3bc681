import datetime
import functools
import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from core.after_response import after_response
from core.redis_cache import redis_client
from press.models.releases import Release

logger = logging.getLogger(__name__)

# Rows per INSERT when waiting reads are added to the database.
ROWS_PER_INSERT = 500
# A move taking longer than this (a database stuck for minutes) lets another one start.
MOVE_LOCK_SECONDS = 600


def read_buffer():
    """Redis, where reads wait to be added to the database together, or None (no Redis):
    each read is then added on its own."""
    return redis_client(settings.READS_REDIS_URL) if settings.READS_REDIS_URL else None


# One round trip for a read: count it, and say whether a move is due (no move in the last
# READS_MOVE_SECONDS). A script, as a redis-py pipeline of the same two commands is slower.
RECORD_READ = """
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[2]) then return 1 end
return 0
"""


@functools.cache
def record_script(buffer):
    return buffer.register_script(RECORD_READ)


def buffer_key(name):
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:reads:{name}"


class ReleaseReadQuerySet(models.QuerySet):
    def record_when_sent(self, release_id):
        """Count a read of the release once the response has been sent: counting never delays
        a reader. For rendered pages and pages served from the page cache alike."""
        after_response(functools.partial(self.record_safely, release_id))

    def record_safely(self, release_id):
        try:
            self.record(release_id)
        except DatabaseError:
            logger.warning("Could not count a read of release %s", release_id, exc_info=True)

    def record(self, release_id):
        """Count one read of a release today. With Redis, the read waits there (one round trip,
        no database write) and whoever records the first read after READS_MOVE_SECONDS moves
        every waiting read to the database; without it, the read is added at once."""
        day = timezone.localdate()
        buffer = read_buffer()
        if buffer is not None:
            try:
                due = record_script(buffer)(
                    keys=[buffer_key("waiting"), buffer_key("moved")],
                    args=[f"{release_id}:{day.isoformat()}", settings.READS_MOVE_SECONDS],
                )
            except redis.RedisError:
                logger.warning("Reads cannot wait in Redis: counted at once", exc_info=True)
            else:
                if due:
                    self.try_move_waiting()
                return
        self.add_counts({(release_id, day): 1})

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
            counts = {}
            for field, count in buffer.hgetall(moving).items():
                release_id, day = field.decode().split(":")
                counts[int(release_id), datetime.date.fromisoformat(day)] = int(count)
            # Reads of releases deleted since they were read are dropped (a release deleted
            # during the move fails it, and the next move drops it).
            existing = set(
                Release.objects.filter(pk__in={pk for pk, _ in counts}).values_list("pk", flat=True)
            )
            counts = {key: count for key, count in counts.items() if key[0] in existing}
            if counts:
                self.add_counts(counts)
            buffer.delete(moving)
        finally:
            lock.release()
        return sum(counts.values())

    def add_counts(self, counts):
        """Add {(release_id, day): reads} to the database in a few statements that several app
        servers can run at once (Django's ORM has no "insert or add"; the SQL is valid on
        PostgreSQL and SQLite). On PostgreSQL the commit does not wait for the disk: a crash may
        lose the last fraction of a second of counts, a reader never waits for a flush."""
        quote, meta = connection.ops.quote_name, self.model._meta
        table = quote(meta.db_table)
        release, day, count = (
            quote(meta.get_field(name).column) for name in ("release", "day", "count")
        )
        rows = sorted(counts.items())  # one order for every writer: no deadlocks
        # Applies at the commit, so it can ride with the first insert: one round trip for one read.
        no_wait = (
            "; SET LOCAL synchronous_commit TO OFF" if connection.vendor == "postgresql" else ""
        )
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            for start in range(0, len(rows), ROWS_PER_INSERT):
                chunk = rows[start : start + ROWS_PER_INSERT]
                values = ", ".join(["(%s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({release}, {day}, {count}) VALUES {values} "
                    f"ON CONFLICT ({release}, {day}) DO UPDATE "
                    f"SET {count} = {table}.{count} + excluded.{count}"
                    + (no_wait if not start else ""),
                    [value for (pk, when), reads in chunk for value in (pk, when, reads)],
                )

    def since(self, days):
        return self.filter(day__gte=timezone.localdate() - datetime.timedelta(days=days))


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
