import reversion
from django.db import models

from press.images import download_kind, stored_bytes, validate_image_upload
from press.models.releases import Release


@reversion.register()
class ReleaseImage(models.Model):
    """A picture in a release's gallery."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to="releases/gallery/",
        validators=[validate_image_upload],
        help_text="JPEG, PNG, WebP or GIF; at most 20 MB and 40 megapixels.",
    )
    alt_text = models.CharField(
        max_length=300, help_text="What the image shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text='"Photo: Jane Doe / R-Cities"')
    licence = models.CharField(
        max_length=200, blank=True, help_text='"CC BY 4.0", "All rights reserved"'
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Shown beside the download link; see press.images.stored_bytes.
    bytes = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        self.bytes = stored_bytes(self.image, self.bytes)
        super().save(*args, **kwargs)

    @property
    def kind(self):
        return download_kind(self.image.name)


class Rendition(models.Model):
    """A resized copy of an uploaded image, made once and reused on every page."""

    source = models.CharField(max_length=255, help_text="The storage name of the original.")
    width = models.PositiveIntegerField(
        help_text="The width asked for; never wider than the original."
    )
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10)
    file = models.ImageField(upload_to="renditions/")

    class Meta:
        ordering = ["source", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "width", "format"], name="one_rendition_per_size_and_format"
            )
        ]

    def __str__(self):
        return f"{self.source} {self.width}w {self.format}"
