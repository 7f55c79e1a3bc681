"""The forms of the contacts import: the upload, and the mapping of the file's columns."""

from django import forms

from contacts.imports.columns import field_choices, heading_key
from contacts.imports.limits import ImportFileError, check_size, limits
from contacts.imports.mapping import problems
from contacts.imports.reading import inspect_upload
from contacts.models import ImportJob, ImportMapping, MediaList, Suppression


class ContactImportForm(forms.Form):
    file = forms.FileField(
        help_text="A CSV file (UTF-8 or Latin-1, comma, semicolon or tab between cells) or an "
        "Excel workbook (.xlsx), with a row naming the columns. You choose what each column "
        "fills on the next page."
    )
    kind = forms.ChoiceField(
        label="The file holds",
        choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.CONTACTS,
        required=False,
        widget=forms.RadioSelect,
        help_text="A suppression list needs one column, the email address: no email will ever "
        "go to its addresses, whatever list they are on (opt-outs of an old system).",
    )
    suppression_reason = forms.ChoiceField(
        label="Why these addresses must not be mailed",
        choices=Suppression.Reason.choices,
        initial=Suppression.Reason.OPTED_OUT,
        required=False,
        help_text="For a suppression list only.",
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

    def clean_kind(self):
        return self.cleaned_data["kind"] or ImportJob.Kind.CONTACTS

    def clean_suppression_reason(self):
        return self.cleaned_data["suppression_reason"] or Suppression.Reason.OPTED_OUT

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == ImportJob.Kind.SUPPRESSIONS and cleaned_data.get(
            "media_list"
        ):
            self.add_error(
                "media_list", "A suppression list joins no media list: choose no list for it."
            )
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


class ColumnsForm(forms.Form):
    """The field each column fills (a select per column, `column_<index>`), the row naming
    them, and the name to remember the mapping by."""

    header_row = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    remember_as = forms.CharField(
        max_length=100,
        required=False,
        label="Remember this mapping as",
        help_text="The source of the file, such as “Cision” or “Old CRM”: the next file with "
        "these columns is mapped the same way at once. A mapping of that name is replaced.",
    )

    def __init__(self, *args, columns, kind, suggested, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns, self.kind, self.suggested = columns, kind, suggested
        choices = [("", "Ignore this column"), *field_choices(kind)]
        for column, initial in zip(columns, suggested, strict=True):
            self.fields[f"column_{column.index}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                initial=initial,
                label=f"Column {column.letter}: {column.heading or '(no heading)'}",
            )

    def rows(self):
        """(column, its select) in column order, for the template."""
        return [(column, self[f"column_{column.index}"]) for column in self.columns]

    def chosen_fields(self):
        return [self.cleaned_data.get(f"column_{column.index}", "") for column in self.columns]

    def clean(self):
        cleaned_data = super().clean()
        for error in problems(self.columns, self.chosen_fields(), self.kind):
            self.add_error(None, error)
        return cleaned_data

    def remember(self, user):
        """Keep the mapping under the name given, if any: {heading: field} of every column
        with a heading, those read past included (they tell the source's files apart)."""
        name = self.cleaned_data.get("remember_as", "").strip()
        if not name:
            return None
        columns = {
            column.heading: field
            for column, field in zip(self.columns, self.chosen_fields(), strict=True)
            if column.heading
        }
        mapping, _ = ImportMapping.objects.update_or_create(
            name=name,
            defaults={"kind": self.kind, "columns": columns, "edited": True, "updated_by": user},
        )
        return mapping


class MappingAdminForm(forms.ModelForm):
    """A remembered mapping, its columns written one a line: “Heading in the file = field”,
    the field by its label or name, or “ignore”."""

    columns = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 60}),
        required=False,
        help_text="One column a line: the heading as the file writes it, “=”, then the field it "
        "fills (as the mapping page names it) or “ignore”. Case and spaces in headings don’t "
        "matter.",
    )

    class Meta:
        model = ImportMapping
        fields = ["name", "kind", "columns"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(field_choices(ImportJob.Kind.CONTACTS))
        self.initial["columns"] = "\n".join(
            f"{heading} = {labels.get(name, name) if name else 'ignore'}"
            for heading, name in (self.instance.columns or {}).items()
        )

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind", ImportJob.Kind.CONTACTS)
        names = {}
        for name, label in field_choices(kind):
            names[heading_key(name)] = names[heading_key(label)] = name
        names[heading_key("ignore")] = ""
        columns, errors = {}, []
        for number, line in enumerate(cleaned_data.get("columns", "").splitlines(), start=1):
            if not line.strip():
                continue
            heading, equals, target = (part.strip() for part in line.rpartition("="))
            if not equals or not heading:
                errors.append(f"Line {number} should read “Heading = field”.")
            elif heading_key(target) not in names:
                errors.append(
                    f"Line {number}: “{target}” is not a field of this kind of import; write "
                    f"one of {', '.join(label for _, label in field_choices(kind))}, or ignore."
                )
            else:
                columns[heading] = names[heading_key(target)]
        if errors:
            self.add_error("columns", errors)
        cleaned_data["columns"] = columns
        return cleaned_data
