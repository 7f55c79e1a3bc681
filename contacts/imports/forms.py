"""The upload form of the contacts import."""

from django import forms

from contacts.imports.limits import ImportFileError, check_size, limits
from contacts.imports.reading import inspect_upload
from contacts.models import MediaList


class ContactImportForm(forms.Form):
    file = forms.FileField(
        help_text="A CSV file (UTF-8 or Latin-1, comma or semicolon between cells) or an Excel "
        "workbook (.xlsx). The first row names the columns; Email and Last name are required."
    )
    format = forms.ChoiceField(
        choices=[
            ("auto", "Tell from the file"),
            ("csv", "CSV"),
            ("xlsx", "Excel workbook (.xlsx)"),
        ],
        initial="auto",
    )
    media_list = forms.ModelChoiceField(
        MediaList.objects.all(),
        required=False,
        label="Add the contacts to this list",
        help_text="Every contact in the file, new or already known, joins the list.",
    )
    import_valid_rows = forms.BooleanField(
        required=False,
        label="Import the valid rows",
        help_text="Otherwise a file with any invalid row imports nothing at all. Either way, "
        "you see what would happen and confirm before anything is written.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = limits()
        self.fields["file"].help_text += (
            f" At most {limit.max_rows:,} rows, {limit.max_columns} columns and "
            f"{limit.max_upload_bytes / 2**20:g} MB."
        )

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        if upload is None or "format" not in cleaned_data:
            return cleaned_data
        try:
            check_size(upload.size)  # before reading it into memory
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            self.upload = inspect_upload(upload.name, data, cleaned_data["format"])
        except ImportFileError as error:
            self.add_error("file", str(error))
            return cleaned_data
        if self.upload.row_count == 0:
            self.add_error("file", "The file has headings but no rows.")
        return cleaned_data
