"""The period an insights page covers, and the one before it to compare with."""

import calendar
import dataclasses
import datetime

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

    @property
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
