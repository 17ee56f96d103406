"""The records' views: a cadre records training elsewhere from /me/; his
administrators decide on it in the admin. Thin: a form, a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records import rules
from records.forms import DecisionForm, ExternalTrainingForm, ImportForm
from records.models import ExternalStatus
from records.services import external, transcripts
from records.services import external_import as external_import_service
from records.services import training_file as files
from records.services.external import RecordsError
from records.services.ledger import LedgerRules, ledger
from training_site.spreadsheets import file_response, ledger_book
from training_site.tabular import ImportFileError

LISTED = 200


@login_required
def record_training(request):
    """/me/training/: a course elsewhere, with its evidence."""
    if not rules.can_record_own(request.user):
        raise PermissionDenied
    form = ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            external.record_external(
                request.user,
                evidence=form.cleaned_data["evidence"],
                **form.facts(),
            )
        except RecordsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Recorded; it counts once your unit's administrators approve it."),
            )
            return redirect("lectures:me")
    return render(request, "records/record_training.html", {"form": form})


def _require_reviewer(request):
    if not rules.may_review_any(request.user):
        raise PermissionDenied


def external_list(request):
    """Admin: the training elsewhere of the cadres the viewer manages."""
    _require_reviewer(request)
    status = request.GET.get("status", ExternalStatus.PENDING)
    if status not in ExternalStatus.values:
        status = ExternalStatus.PENDING
    rows = (
        rules.reviewable(request.user)
        .filter(status=status)
        .select_related("user__trainee__unit_forum", "decided_by")
        .order_by("-recorded_at", "-pk")[:LISTED]
    )
    return TemplateResponse(
        request,
        "records/admin/external_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": ExternalStatus.choices,
            "form": DecisionForm(),
        },
    )


def _reviewable_or_404(request, pk: int):
    _require_reviewer(request)
    return get_object_or_404(rules.reviewable(request.user), pk=pk)


@require_POST
def external_decide(request, pk: int):
    training = _reviewable_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("records_external")
    data = form.cleaned_data
    try:
        if data["decision"] == "approve":
            external.approve(request.user, training, hours=data["hours"])
            messages.success(request, _("Approved."))
        else:
            external.refuse(request.user, training, reason=data["reason"])
            messages.success(request, _("Refused."))
    except RecordsError as error:
        messages.error(request, error.message)
    return redirect("records_external")


def external_evidence(request, pk: int):
    """The evidence, to those who may decide (never a public URL)."""
    training = _reviewable_or_404(request, pk)
    if not training.evidence:
        raise Http404
    return FileResponse(training.evidence.open("rb"), as_attachment=False)


@login_required
def transcript_pdf(request, year: int):
    """His 学时证明 for a year (this year or one before), as PDF."""
    today = timezone.localdate()
    if not rules.can_record_own(request.user) or not 2000 <= year <= today.year:
        raise Http404
    year_ledger = ledger(request.user, year, rules=LedgerRules.for_request(request))
    transcript = transcripts.issue(request.user, year_ledger)
    verify_url = request.build_absolute_uri(transcripts.verification_path(transcript))
    response = HttpResponse(
        transcripts.render_pdf(transcript, year_ledger, verify_url),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{transcripts.filename(transcript)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def verify_transcript(request, number: str, code: str):
    """Public: what the printed transcript says, or that it is not genuine."""
    transcript = transcripts.find(number[:20], code[:24])
    response = TemplateResponse(
        request, "records/verify_transcript.html", {"transcript": transcript}
    )
    if transcript is None:
        response.status_code = 404
    response["X-Robots-Tag"] = "noindex"
    return response


def training_file(request, pk: int):
    """Admin: a cadre's training file (一人一档), for those who manage his
    account; `?year=`, `?format=xlsx`, and a print view (the page's own
    print CSS)."""
    _require_reviewer(request)
    profile = get_object_or_404(
        rules.files_visible(request.user).select_related("user", "unit_forum", "rank"),
        pk=pk,
    )
    year = _year(request.GET.get("year"))
    file = files.training_file(profile, year, LedgerRules.for_request(request))
    if request.GET.get("format") == "xlsx":
        return file_response(
            ledger_book(files.sheets(file)),
            f"training-file-{profile.pk}-{year}",
            "xlsx",
        )
    return TemplateResponse(
        request,
        "records/admin/training_file.html",
        {"file": file, "years": range(timezone.localdate().year, year - 1, -1)},
    )


def _year(value) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year else this_year


def external_import(request):
    """Admin: hours elsewhere for many cadres from a spreadsheet."""
    _require_reviewer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = external_import_service.import_external(
                request.user,
                upload.name,
                upload.read(),
                evidence=form.cleaned_data["evidence"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                messages.success(
                    request,
                    _("%(n)d course(s) recorded and approved.") % {"n": report.created},
                )
                return redirect("records_external")
    return TemplateResponse(
        request,
        "records/admin/external_import.html",
        {"form": form, "report": report},
    )


def external_import_template(request):
    _require_reviewer(request)
    return file_response(
        external_import_service.template_workbook(), "external-training", "xlsx"
    )
