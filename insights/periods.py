"""The period an insights page covers, and the one before it to compare with."""

import calendar
import dataclasses
import datetime
import functools

DAY = datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included
    months: bool = False  # a calendar month: the previous period is the month before

    def __str__(self):
        if self.months:
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"

    @property
    def length(self):
        return (self.end - self.start).days + 1

    @functools.cached_property
    def days(self):
        return [self.start + n * DAY for n in range(self.length)]

    def previous(self):
        if self.months:
            return month(self.start - DAY)
        return Period(self.start - self.length * DAY, self.start - DAY)


def month(day):
    """The calendar month `day` is in."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), months=True)


def last_days(count, today):
    return Period(today - (count - 1) * DAY, today)


def week_of(day):
    """The Monday of `day`'s week (ISO weeks)."""
    return day - day.weekday() * DAY


def next_month(day):
    return (day.replace(day=1) + 32 * DAY).replace(day=1)


def whole(start, end, floor, step):
    """[first, after) of the whole units (months, weeks) from `start` to `end`, or None."""
    first = start if floor(start) == start else step(floor(start))
    after = floor(end + DAY)
    return (first, after) if first < after else None


def spans(start, end):
    """(months, weeks, days), each a list of [first, after) ranges, that together cover `start`
    to `end` (included) exactly once: whole calendar months, then whole ISO weeks at the ends,
    then the days left (at most six at each side of a run of weeks)."""
    months = whole(start, end, lambda day: day.replace(day=1), next_month)
    rest = [(start, months[0]), (months[1], end + DAY)] if months else [(start, end + DAY)]
    weeks, days = [], []
    for first, after in rest:
        if first >= after:
            continue
        run = whole(first, after - DAY, week_of, lambda monday: monday + 7 * DAY)
        if run:
            weeks.append(run)
            days += [(first, run[0]), (run[1], after)]
        else:
            days.append((first, after))
    return [months] if months else [], weeks, [(a, b) for a, b in days if a < b]
