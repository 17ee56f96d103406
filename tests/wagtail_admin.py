"""Driving the Wagtail admin over HTTP: its URLs, form data and refusals."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

DATETIME_INPUT = "%Y-%m-%d %H:%M"  # WAGTAIL_DATETIME_FORMAT
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def add_url(model_name: str, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["lectures", model_name, parent.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def explore_url(page) -> str:
    return reverse("wagtailadmin_explore", args=[page.pk])


def workflow_action_url(page, action: str, task_state) -> str:
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]
    )


def refused(response) -> bool:
    """Whether the admin refused the request.

    Wagtail answers a `PermissionDenied` raised in an admin view with a
    redirect to the admin's home and an error message; only requests made
    with XMLHttpRequest (see `XHR`) get the bare 403.
    """
    return response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_home"
    )


def session_form(
    title: str,
    *,
    action: str = "action-submit",
    start: datetime | None = None,
    venue: str = "镇政府会议室",
    slug: str | None = None,
) -> dict:
    """The session editor's POST data, as the browser sends it."""
    start = timezone.localtime(start or timezone.now() + timedelta(days=10))
    return nested_form_data(
        {
            "title": title,
            "slug": slug or title,  # the editor's script fills it from the title
            "start": start.strftime(DATETIME_INPUT),
            "end": (start + timedelta(hours=2)).strftime(DATETIME_INPUT),
            "venue": venue,
            "status": "scheduled",
            "audience_scope": "all",
            "description": rich_text(""),
            "record_summary": rich_text(""),
            "study_hours": "2",
            "materials": inline_formset([]),
            "photos": inline_formset([]),
            "comments": inline_formset([]),
            action: "x",
        }
    )


def forum_form(
    title: str, slug: str, *, action: str = "action-submit", **application
) -> dict:
    """The editor's POST data for a new 微讲坛, with its founding application
    (`founder_name`, `founder_mobile`, `application_venue`, `application_plan`)."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "unit_kind": "village",
            "unit_name": title.removesuffix("微讲坛"),
            "introduction": rich_text(""),
            "comments": inline_formset([]),
            "application_documents": inline_formset([]),
            **application,
            action: "x",
        }
    )
