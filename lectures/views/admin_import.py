"""The trainee import in the Wagtail admin: the same service as the command."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from lectures.services.trainee_import import import_trainees, template_workbook
from training_site.tabular import ImportFileError

MAX_UPLOAD = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    initial_password = forms.CharField(
        label=_("Initial password"),
        required=False,
        min_length=8,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Given to every new account; trainees should change it."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@permission_required("lectures.add_traineeprofile", raise_exception=True)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_trainees(
                upload.name,
                upload.read(),
                initial_password=form.cleaned_data["initial_password"] or None,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                messages.success(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated.")
                    % {"created": report.created, "updated": report.updated},
                )
            else:
                messages.error(
                    request,
                    _("Nothing imported: %(n)d problem(s) in the file.")
                    % {"n": len(report.errors)},
                )
    return TemplateResponse(
        request,
        "lectures/admin/import_trainees.html",
        {"form": form, "report": report},
    )


@permission_required("lectures.add_traineeprofile", raise_exception=True)
def template_view(request):
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="trainees-template.xlsx"'
    return response
