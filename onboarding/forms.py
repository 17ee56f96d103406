from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 50 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files (Django's documented pattern)."""

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data]
        return [one(data, initial)]


class WorkbookForm(forms.Form):
    files = MultipleFileField(
        label=_("Workbook (.xlsx), or one .csv per sheet"),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if sum(upload.size for upload in uploads) > MAX_UPLOAD:
            raise forms.ValidationError(_("The files are larger than 50 MB."))
        return uploads


class SetupForm(forms.Form):
    district_name = forms.CharField(
        label=_("District forum's name"), max_length=100, initial="区级干部大讲坛"
    )
    department_name = forms.CharField(
        label=_("Organisation department's name"), max_length=100, initial="区委组织部"
    )
    username = forms.CharField(label=_("First administrator's login"), max_length=150)
    real_name = forms.CharField(label=_("His or her name"), max_length=50)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, min_length=8
    )
