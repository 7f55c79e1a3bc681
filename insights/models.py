"""Insights: figures of the newsroom's work, rolled up by day (insights/rollups.py) so that a
page sums a few hundred rows, never the raw reads, emails or subscribers.

The admin's pages hang on four models whose tables stay empty (`Page`): they give the admin
index and sidebar an "Insights" section, Django's own refusals of adding, changing and deleting,
and a view permission each (`insights.view_overview`...: editors see all but the journalists'
page, which names journalists, as the contacts team does)."""

from django.db import connection, models
from django.db.models import F, Q

from contacts.models import Mailing, MediaContact, Outlet
from insights.periods import spans
from press.models import Release, ReleaseRead, Topic


class Page(models.Model):
    """An insights page in the admin: no rows, a view permission only."""

    class Meta:
        abstract = True
        default_permissions = ("view",)

    def __str__(self):
        return str(self._meta.verbose_name)


class Overview(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "overview"


class TopicInsights(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "topics"


class SubscriberInsights(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "subscribers"


class JournalistInsights(Page):
    class Meta(Page.Meta):
        verbose_name = verbose_name_plural = "journalists"


class DayFigures(models.Model):
    """The newsroom's figures of one day (in the site's time zone)."""

    day = models.DateField(unique=True)
    releases = models.PositiveIntegerField(default=0, help_text="Releases published.")
    reads = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0, help_text="Sign-ups (pending or not).")
    confirmed = models.PositiveIntegerField(default=0, help_text="Subscriptions confirmed.")
    unsubscribed = models.PositiveIntegerField(default=0)
    coverage = models.PositiveIntegerField(default=0, help_text="Coverage items published.")

    class Meta:
        ordering = ["day"]
        verbose_name_plural = "day figures"

    def __str__(self):
        return f"Figures of {self.day}"


class ReleaseMonthQuerySet(models.QuerySet):
    def most_read(self, start, end, limit):
        """[(release id, reads)] of the `limit` releases most read from `start` to `end`, in one
        statement: the calendar months wholly inside the period from these rows, the whole
        weeks left at its ends from ReleaseWeek, the days left from the daily counts (two
        years are then a few hundred thousand rows summed, not millions of daily counts)."""
        quote = connection.ops.quote_name
        parts, params = [], []
        for model, key, value, ranges in zip(
            (ReleaseMonth, ReleaseWeek, ReleaseRead),
            ("month", "week", "day"),
            ("reads", "reads", "count"),
            spans(start, end),
            strict=True,
        ):
            if not ranges:
                continue
            meta = model._meta
            column = quote(meta.get_field(key).column)
            parts.append(
                f"SELECT {quote(meta.get_field('release').column)} AS release_id, "
                f"{quote(meta.get_field(value).column)} AS n FROM {quote(meta.db_table)} WHERE "
                + " OR ".join([f"({column} >= %s AND {column} < %s)"] * len(ranges))
            )
            params += [day for span in ranges for day in span]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT release_id, SUM(n) AS total FROM ({' UNION ALL '.join(parts)}) AS period "
                "GROUP BY release_id ORDER BY total DESC, release_id LIMIT %s",
                [*params, limit],
            )
            return cursor.fetchall()


class ReleaseMonth(models.Model):
    """A release's reads in a calendar month (`month` is its first day)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    reads = models.PositiveIntegerField(default=0)

    objects = ReleaseMonthQuerySet.as_manager()

    class Meta:
        ordering = ["month", "release"]
        constraints = [
            models.UniqueConstraint(fields=["release", "month"], name="one_release_month")
        ]
        indexes = [
            # The most read releases of a long period: its months read without the table.
            models.Index(fields=["month"], include=["release", "reads"], name="release_month_idx"),
        ]

    def __str__(self):
        return f"{self.release_id} in {self.month:%Y-%m}"


class ReleaseWeek(models.Model):
    """A release's reads in an ISO week (`week` is its Monday): the ends of a long period."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["week", "release"]
        constraints = [models.UniqueConstraint(fields=["release", "week"], name="one_release_week")]
        indexes = [
            # The most read releases of a period: its weeks read without the table.
            models.Index(fields=["week"], include=["release", "reads"], name="release_week_idx"),
        ]

    def __str__(self):
        return f"{self.release_id} in the week of {self.week}"


class TopicDay(models.Model):
    """One topic's reads and releases on a day; `followers` is how many confirmed subscribers
    followed it when that day was last rolled up (None for days rolled up afterwards)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="insight_days")
    day = models.DateField()
    reads = models.PositiveIntegerField(default=0)
    releases = models.PositiveIntegerField(default=0)
    followers = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["day", "topic"]
        constraints = [models.UniqueConstraint(fields=["topic", "day"], name="one_topic_day")]
        indexes = [
            # The topics of a period, summed: read in day order without the table.
            models.Index(
                fields=["day"], include=["topic", "reads", "releases"], name="topic_day_idx"
            ),
        ]

    def __str__(self):
        return f"{self.topic_id} on {self.day}"


class MailingFigures(models.Model):
    """A mailing's funnel: emails sent, delivered, opened (an estimate, as
    Mailing.objects.with_figures() says), clicked, bounced; `day` is when it was sent."""

    mailing = models.OneToOneField(
        Mailing, on_delete=models.CASCADE, primary_key=True, related_name="insight_figures"
    )
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Mailing.Kind.choices)
    sent = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)
    bounced = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "mailing"]
        verbose_name_plural = "mailing figures"
        indexes = [
            # The mailings of a period, and of a release.
            models.Index(fields=["day"], name="mailing_figures_day_idx"),
            models.Index(fields=["release", "day"], name="mailing_figures_release_idx"),
        ]

    def __str__(self):
        return f"Figures of mailing {self.mailing_id}"


# A contact's day with an open or a click, as a condition and as the SQL the engagement query
# repeats so that PostgreSQL sees it may read the partial index made on it.
ACTIVE = Q(opened__gt=0) | Q(clicked__gt=0)
ACTIVE_SQL = "opened > 0 OR clicked > 0"


class ContactDayQuerySet(models.QuerySet):
    def engagement(self, start, end, contacts=20, outlets=10):
        """What the media contacts did with the emails of the mailings sent from `start` to
        `end`: {"engaged": the `contacts` who opened most, "outlets": the `outlets` whose
        contacts opened most}, each a list of (id, sent, opened, clicked), best first.

        One round trip, each part reading an index made for it rather than one grouping of
        every contact's rows read twice: the engaged from the rows with an open or a click
        (a third of them), the outlets grouped straight from the rows (a few thousand groups,
        not a million)."""
        quote = connection.ops.quote_name
        meta = self.model._meta
        table = quote(meta.db_table)
        contact, outlet, day, sent, opened, clicked = (
            quote(meta.get_field(name).column)
            for name in ("contact", "outlet", "day", "sent", "opened", "clicked")
        )
        within = f"{day} >= %(start)s AND {day} <= %(end)s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM (SELECT 'engaged', who, (SELECT SUM({sent}) FROM {table} "
                f"WHERE {contact} = who AND {within}), o, c FROM (SELECT {contact} AS who, "
                f"SUM({opened}) AS o, SUM({clicked}) AS c FROM {table} WHERE {within} AND "
                f"({ACTIVE_SQL}) GROUP BY {contact} HAVING SUM({opened}) > 0 "
                "ORDER BY o DESC, c DESC, who LIMIT %(contacts)s) AS active) AS engaged "
                f"UNION ALL SELECT * FROM (SELECT 'outlets', {outlet}, SUM({sent}), "
                f"SUM({opened}), SUM({clicked}) FROM {table} WHERE {within} AND {outlet} "
                f"IS NOT NULL GROUP BY {outlet} ORDER BY SUM({opened}) DESC, "
                f"SUM({clicked}) DESC, {outlet} LIMIT %(outlets)s) AS outlets",
                {"start": start, "end": end, "contacts": contacts, "outlets": outlets},
            )
            found = {"engaged": [], "outlets": []}
            for kind, *row in cursor.fetchall():
                found[kind].append(tuple(row))
        # A UNION ALL promises no order: each list is put back in its own.
        for rows in found.values():
            rows.sort(key=lambda row: (-row[2], -row[3], row[0]))
        return found


class ContactDay(models.Model):
    """What one media contact received and did with the emails of the mailings sent on a day;
    `outlet` is the one they wrote for then."""

    contact = models.ForeignKey(MediaContact, on_delete=models.CASCADE, related_name="+")
    outlet = models.ForeignKey(
        Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)

    objects = ContactDayQuerySet.as_manager()

    class Meta:
        ordering = ["day", "contact"]
        constraints = [models.UniqueConstraint(fields=["contact", "day"], name="one_contact_day")]
        indexes = [
            # The outlets of a period, summed: read in day order without the table.
            models.Index(
                fields=["day"],
                include=["contact", "outlet", "sent", "opened", "clicked"],
                name="contact_day_idx",
            ),
            # The most engaged contacts: only the rows with an open or a click.
            models.Index(
                fields=["day"],
                include=["contact", "opened", "clicked"],
                condition=ACTIVE,
                name="contact_day_active_idx",
            ),
        ]

    def __str__(self):
        return f"{self.contact_id} on {self.day}"


class ContactStandingQuerySet(models.QuerySet):
    def never_opened(self, limit=50):
        """The `limit` contacts sent most emails who have opened none, most first."""
        return list(self.filter(opened=0).order_by("-sent", "contact_id")[:limit])


class ContactStanding(models.Model):
    """What a media contact has received and done with our emails, all told: the contacts
    who never open are found here in a few rows, not by summing every contact's days."""

    contact = models.OneToOneField(
        MediaContact, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    sent = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)
    last_sent = models.DateField()

    objects = ContactStandingQuerySet.as_manager()

    class Meta:
        ordering = ["contact_id"]
        indexes = [
            # The contacts who never opened, most emails first.
            models.Index(
                F("sent").desc(), "contact", condition=Q(opened=0), name="never_opened_idx"
            ),
        ]

    def __str__(self):
        return f"{self.contact_id}: {self.opened} of {self.sent} opened"


class RollupRun(models.Model):
    """When the figures were last rolled up: the next run starts from the day before."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    first_day = models.DateField()

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Rollup from {self.first_day} at {self.started_at:%Y-%m-%d %H:%M}"
