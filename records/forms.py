"""Forms of the records pages: each parses input for one service call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.models import ExternalTraining
from training_site.forms import DATE_INPUT, check_upload

EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def clean_evidence_upload(upload):
    """The certificate or notice: PDF, JPG or PNG up to 10 MB, its content
    checked against its type (the single and the bulk recording alike)."""
    if upload:
        check_upload(upload, extensions=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES)
    return upload


EVIDENCE_ACCEPT = ",".join(f".{extension}" for extension in EVIDENCE_TYPES)


class ExternalTrainingForm(forms.ModelForm):
    """A course elsewhere, as the cadre records it, with its evidence."""

    class Meta:
        model = ExternalTraining
        fields = [
            "kind",
            "title",
            "organiser",
            "start_date",
            "end_date",
            "hours_claimed",
            "evidence",
        ]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].required = True
        self.fields["evidence"].widget.attrs["accept"] = EVIDENCE_ACCEPT

    def clean_evidence(self):
        return clean_evidence_upload(self.cleaned_data.get("evidence"))

    def facts(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name != "evidence"}


class DecisionForm(forms.Form):
    """Approve (as claimed, or `hours` to adjust) or refuse with a reason."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))]
    )
    hours = forms.DecimalField(
        label=_("Hours approved"),
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text=_("Leave empty to approve the hours claimed"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (xlsx or csv)"),
        help_text=_(
            "One row per cadre and course: mobile, kind, course, organiser, "
            "start and end dates, hours."
        ),
    )

    evidence = forms.FileField(
        label=_("Evidence for the whole list (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_(
            "One file shown on every course of the list, e.g. the notice of "
            "the assignment (调训通知) or the class's list of graduates: PDF, "
            "JPG or PNG, at most 10 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, extensions=("xlsx", "csv"), max_bytes=5 * 1024 * 1024)
        return upload

    def clean_evidence(self):
        return clean_evidence_upload(self.cleaned_data.get("evidence"))
