import datetime

from django import forms
from django.utils import timezone

from insights.periods import Period, last_days, month

LONGEST = 731  # days: two years, a few hundred rows of daily figures
EARLIEST = datetime.date(2000, 1, 1)


class PeriodForm(forms.Form):
    """Which period a page covers: the last 7, 30 or 90 days, a calendar month, or any range
    of up to two years. Empty, it is the last 30 days."""

    period = forms.ChoiceField(
        choices=[
            ("7", "Last 7 days"),
            ("30", "Last 30 days"),
            ("90", "Last 90 days"),
            ("month", "A month"),
            ("custom", "From … to …"),
        ],
        required=False,
    )
    month = forms.DateField(
        input_formats=["%Y-%m"],
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="For “A month”.",
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        choice = data.get("period") or "30"
        if choice.isdigit():
            data["range"] = last_days(int(choice), today)
            return data
        if choice == "month":
            chosen = data.get("month")
            if chosen is None:
                self.add_error("month", "Choose a month, such as 2026-11.")
            elif not EARLIEST <= chosen <= today:
                self.add_error("month", "Choose a month from 2000 to this one.")
            else:
                data["range"] = month(chosen)
            return data
        start, end = data.get("start"), data.get("end")
        for name, value in (("start", start), ("end", end)):
            if value is None and name not in self.errors:
                self.add_error(name, "Enter a date, such as 2026-11-01.")
        if start and end:
            if start > end:
                self.add_error("end", "The end comes before the start.")
            elif start < EARLIEST or start > today:
                self.add_error("start", "Start between 2000-01-01 and today.")
            elif (end - start).days + 1 > LONGEST:
                self.add_error("end", f"Choose at most {LONGEST} days.")
            else:
                data["range"] = Period(start, end)
        return data

    @property
    def chosen_period(self):
        """The chosen period (call is_valid() first)."""
        return self.cleaned_data["range"]
