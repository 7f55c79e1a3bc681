import datetime

from django.db import connection, models, transaction
from django.db.models import Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from press.models.releases import Release


class ReleaseReadQuerySet(models.QuerySet):
    def record(self, release_id):
        """Count one read of a release today, in one statement that several app servers can
        run at once. Django's ORM has no "insert or add one", hence the SQL (valid on both
        PostgreSQL and SQLite). On PostgreSQL the commit does not wait for the disk: a crash
        may lose the last fraction of a second of counts, a reader never waits for a flush."""
        table = self.model._meta.db_table
        sql = (
            f"INSERT INTO {table} (release_id, day, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (release_id, day) DO UPDATE SET count = {table}.count + 1"
        )
        if connection.vendor == "postgresql":
            # Applies at the commit, which ends the transaction with the insert: one round trip.
            sql += "; SET LOCAL synchronous_commit TO OFF"
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(sql, [release_id, timezone.localdate()])

    def since(self, days):
        return self.filter(day__gte=timezone.localdate() - datetime.timedelta(days=days))

    def total_for(self, release_ref, days):
        """A subquery: the reads of the release `release_ref` points to in the last `days`."""
        reads = (
            self.since(days)
            .filter(release=release_ref)
            .values("release")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return Coalesce(Subquery(reads), 0)


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
