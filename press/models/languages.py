"""The language a release is written in, and the group of releases that translate each other:
each translation is a release of its own (own address, time, quotes), linked by one key."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_language(code):
    """A language the newsroom publishes in (settings.LANGUAGES)."""
    if code not in dict(settings.LANGUAGES):
        raise ValidationError(f"“{code}” is not one of the newsroom's languages.")


class Translatable(models.Model):
    language = models.CharField(
        max_length=35,
        default="en",
        validators=[validate_language],
        help_text="The language the release is written in.",
    )
    translation_key = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        db_index=True,
        help_text="Shared by the releases that translate each other.",
    )

    class Meta:
        abstract = True

    def translations(self):
        """The other releases of this release's translation group (any status). A query."""
        return type(self).objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)
