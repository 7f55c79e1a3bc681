"""Admin changelists that answer an impossible date in the address with Django's own message."""

from django.contrib.admin.options import IncorrectLookupParameters


class ImpossibleDatesRefused:
    """Mixed into every admin changelist by the admin site (newsroom.admin_site).

    Django turns `?published_at__year=2024&published_at__month=13` into "Database error",
    but a year past 9999, or one with 30 digits, escapes its check as OverflowError or
    ValueError (a 500). Both become the same clean refusal."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
