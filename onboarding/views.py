"""The admin's first-run page and the network import: upload, preview, confirm."""

import logging
import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from wagtail.admin import messages

from onboarding.forms import SetupForm, WorkbookForm
from onboarding.rules import may_import_network, may_set_up
from onboarding.services.export import export_network, template_workbook
from onboarding.services.network import import_network
from onboarding.services.setup import SetupError, setup_network
from training_site.caching import strict
from training_site.spreadsheets import XLSX
from training_site.tabular import ImportFileError

logger = logging.getLogger(__name__)

#: How long an uploaded workbook waits for its confirmation.
PENDING_SECONDS = 3600


def _pending_key(request, token: str) -> str:
    return f"onboarding:import:{request.user.pk}:{token}"


def import_view(request):
    """Upload → preview (what each sheet creates, updates, leaves unchanged, or
    every problem) → confirm. The files wait in the shared cache between the
    two steps, so any process may take the confirmation."""
    if not may_import_network(request.user):
        raise PermissionDenied
    if request.method == "GET" and may_set_up(request.user):
        return redirect("onboarding_setup")
    form = WorkbookForm()
    context = {"form": form}
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        stored = cache.get(_pending_key(request, token))
        if stored is None:
            messages.error(request, _("The upload has expired; upload it again."))
            return redirect("onboarding_import")
        files = stored
        report = import_network(files, commit=True)
        if report.written:
            cache.delete(_pending_key(request, token))
            messages.success(
                request,
                _("Imported: %(created)d created, %(updated)d updated.")
                % {
                    "created": report.total("created"),
                    "updated": report.total("updated"),
                },
            )
        context.update(report=report, done=report.written)
    elif request.method == "POST":
        form = WorkbookForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            try:
                report = import_network(files, commit=False)
            except ImportFileError as error:
                form.add_error("files", str(error))
            else:
                context["report"] = report
                if report.ok:
                    token = uuid.uuid4().hex
                    try:
                        # Strict: a Redis that is down would skip the write,
                        # and the confirmation find the upload "expired".
                        with strict():
                            cache.set(
                                _pending_key(request, token), files, PENDING_SECONDS
                            )
                    except (RedisError, DatabaseError):
                        logger.warning("Network import: upload not kept", exc_info=True)
                        form.add_error(
                            "files",
                            _(
                                "The upload could not be kept for its "
                                "confirmation; try again in a few minutes."
                            ),
                        )
                        context.pop("report")
                    else:
                        context["token"] = token
    return TemplateResponse(request, "onboarding/import.html", context)


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def template_view(request):
    if not may_import_network(request.user):
        raise PermissionDenied
    return _xlsx(template_workbook(), "network-template.xlsx")


def export_view(request):
    if not may_import_network(request.user):
        raise PermissionDenied
    return _xlsx(export_network(), "network.xlsx")


def setup_view(request):
    """The first-run page: only a superuser, only while there is no district."""
    if not may_set_up(request.user):
        raise PermissionDenied
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = setup_network(
                district_name=data["district_name"],
                department_name=data["department_name"],
                username=data["username"],
                password=data["password"],
                real_name=data["real_name"],
                email=data["email"],
            )
        except SetupError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Created %(district)s and its administrator %(user)s.")
                % {"district": done.district.title, "user": done.administrator},
            )
            return redirect("onboarding_import")
    return TemplateResponse(request, "onboarding/setup.html", {"form": form})
