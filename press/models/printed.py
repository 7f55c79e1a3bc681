"""What a release prints as it was when published: the byline's name and About text, and each
quote's attribution. Until publication they follow the release (its date, byline, speakers and
the roles chosen); publishing writes them into the release and its quotes, where they stay as
they were, whatever the organization or the people do later, and editors may still correct
them by hand. All in the release's language (the organization's translated name and About
text, the roles' translated titles, falling back to English).
Mixed into Release, which calls freeze_printed() when it is published.
"""

from django.utils import translation

from press.models.publication import Status


class PrintedAsPublished:
    def freeze_printed(self, first_save):
        """Copy what publication fixes, if not typed already: before the row is written for
        the release's own fields, after it (`first_save` False) for its quotes."""
        if first_save:
            with translation.override(self.language):
                if not self.boilerplate:
                    self.boilerplate = self.byline.boilerplate
                if not self.byline_name:
                    self.byline_name = self.byline.name_on(self.day)
            return
        quotes = self.quotes.filter(attribution="").select_related(
            "person", "role__organization", "second_role__organization"
        )
        for quote in quotes:
            quote.release = self
            quote.freeze_attribution()

    def byline_changed(self):
        """Another organization writes the release: its name on the date, written down at
        once if the release is published already."""
        published = self.status == Status.PUBLISHED
        with translation.override(self.language):
            self.byline_name = self.byline.name_on(self.day) if published else ""

    @property
    def printed_boilerplate(self):
        """The About text printed under the release: the copy made when it was published; for
        one not published yet, with none of its own, the byline's, which publishing copies."""
        if self.boilerplate or self.status == Status.PUBLISHED:
            return self.boilerplate
        with translation.override(self.language):
            return self.byline.boilerplate

    @property
    def printed_byline(self):
        """The byline's name as printed: the copy made when it was published (a release
        published before names were kept: the present name); for one not published yet, with
        none of its own, the name the organization went by on the release date (a query)."""
        if self.byline_name:
            return self.byline_name
        with translation.override(self.language):
            if self.status == Status.PUBLISHED:
                return self.byline.name
            return self.byline.name_on(self.day)

    def attribution_warnings(self):
        """What editors should check in the quotes' attributions (Quote.role_warning()), one
        line per quote that needs it. A query per quote."""
        quotes = self.quotes.select_related(
            "person", "role__organization", "second_role__organization"
        )
        warnings = []
        for quote in quotes:
            quote.release = self
            if warning := quote.role_warning():
                warnings.append(warning)
        return warnings
