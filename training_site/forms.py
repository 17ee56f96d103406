"""The shell's forms: dates a calendar can handle, and uploads that are what
they claim to be.

Images: Wagtail opens every image and refuses what is not one, or is larger
than WAGTAILIMAGES_MAX_UPLOAD_SIZE / _MAX_IMAGE_PIXELS. Documents are only
checked for their extension there; this form also looks at the first bytes,
so a renamed executable or web page is not offered for download as a .pdf.
"""

from pathlib import Path

import django_filters
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class CalendarDateField(forms.DateField):
    """A date the calendar can handle: years 1900–2100, else a clear error."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not 1900 <= day.year <= 2100:
            raise forms.ValidationError(_("Give a date between 1900 and 2100."))
        return day


class CalendarDateFilter(django_filters.DateFilter):
    field_class = CalendarDateField


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word/Excel/PowerPoint 97–2003
ZIP = b"PK\x03\x04"  # the Office Open XML formats
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (OLE,),
    "xls": (OLE,),
    "ppt": (OLE,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def looks_like(extension: str, head: bytes) -> bool:
    if extension == "txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is fine.
            if error.start < len(head) - 4:
                try:
                    head.decode("gb18030")
                except UnicodeDecodeError:
                    return False
        return b"\x00" not in head
    return head.startswith(SIGNATURES.get(extension, (head[:1] or b"-",)))


def check_upload(upload, *, extensions: tuple[str, ...], max_bytes: int) -> None:
    """Refuse a file of another type, one whose content is not what its
    name says (`looks_like`), or one larger than `max_bytes`."""
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in extensions:
        raise forms.ValidationError(
            _("Upload a file of one of these types: %(types)s."),
            code="file_type",
            params={"types": ", ".join(extensions)},
        )
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB."),
            code="file_size",
            params={"mb": max_bytes // (1024 * 1024)},
        )
    position = upload.tell()
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(position)
    if not looks_like(extension, head):
        raise forms.ValidationError(
            _("This file is not a real .%(extension)s document."),
            code="file_content",
            params={"extension": extension},
        )


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        extension = Path(upload.name).suffix.lower().lstrip(".")
        position = upload.tell()
        upload.seek(0)
        head = upload.read(2048)
        upload.seek(position)
        if not looks_like(extension, head):
            raise forms.ValidationError(
                _("This file is not a real .%(extension)s document."),
                code="file_content",
                params={"extension": extension},
            )
        return upload


class LoginForm(AuthenticationForm):
    """The login form: the user name or the mobile number (the backend
    accepts either)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name or mobile number")
