"""The release change form's inlines, the quotes and the gallery, and the fieldset of the form
each is shown after (templates/admin/press/release/change_form.html)."""

from django.contrib import admin

from press.forms import QuoteForm
from press.models import Quote, ReleaseImage
from press.models.quote_blocks import quote_code


class QuoteInline(admin.StackedInline):
    model = Quote
    form = QuoteForm
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "text", ("role", "second_role"), "attribution", "order", "body_code"]
    readonly_fields = ["body_code"]

    @admin.display(description="place in the story")
    def body_code(self, quote):
        if quote.pk is None:
            return "Save the release to get this quote's code."
        return (
            f"Type {quote_code(quote)} alone in a paragraph of the body to print the quote there."
        )


class ReleaseImageInline(admin.StackedInline):
    model = ReleaseImage
    extra = 0
    verbose_name_plural = "Gallery images"
    fields = ["image", "alt_text", "caption", "credit", "licence", "order"]


# Which fieldset each inline follows on the change form: the gallery belongs to the story, the
# quotes to the people who say them.
INLINES_AFTER = {"Story": ReleaseImage, "People and quotes": Quote}
