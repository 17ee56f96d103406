"""Forms that refuse nonsense, each with a translated message at its field:
the session editor (study hours, the registration window, capacity, a start
in the past), the schedule's dates and the evaluation's comment."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lectures.models import EvaluationForm, SessionPage
from tests.factories import (
    ClassFactory,
    SessionFactory,
    UserFactory,
    answer,
    attended,
    ended_session,
)
from tests.wagtail_admin import DATETIME_INPUT, add_url, edit_url, session_form

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return timezone.localtime(moment).strftime(DATETIME_INPUT)


def post_new(client, parent, **fields):
    data = {**session_form("形势政策报告会", action="action-publish"), **fields}
    url = add_url("sessionpage", parent)
    return client.post(url, data)


def field_errors(response) -> dict:
    assert response.status_code == 200, "saved"
    return {
        name: " ".join(errors)
        for name, errors in response.context["form"].errors.items()
    }


def test_a_capacity_of_zero_is_refused(admin_client, tree):
    errors = field_errors(post_new(admin_client, tree["town"], capacity="0"))
    assert "名额为 0" in errors["capacity"]
    assert not SessionPage.objects.exists()


def test_a_new_session_cannot_start_in_the_past(admin_client, tree):
    start = timezone.now() - timedelta(days=1)
    fields = {"start": local(start), "end": local(start + timedelta(hours=2))}
    errors = field_errors(post_new(admin_client, tree["town"], **fields))
    assert "不能早于现在" in errors["start"]


def test_an_existing_past_session_can_still_be_edited(admin_client, tree):
    start = timezone.now() - timedelta(days=3)
    session = SessionFactory(parent=tree["town"], start=start, title="旧讲次")
    data = {
        **session_form(
            "旧讲次", action="action-publish", start=start, slug=session.slug
        ),
        "status": "held",
    }
    response = admin_client.post(edit_url(session), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held"


@pytest.mark.parametrize(
    ("field", "hours", "message"),
    [
        ("registration_opens", 3, "报名开始时间必须早于讲次开始时间"),
        ("registration_closes", 1, "报名截止时间不能晚于讲次开始时间"),
    ],
)
def test_a_registration_window_past_the_start_is_refused(
    admin_client, tree, field, hours, message
):
    start = timezone.now() + timedelta(days=10)
    value = local(start + timedelta(hours=hours))
    errors = field_errors(post_new(admin_client, tree["town"], **{field: value}))
    assert message in errors[field]


def test_the_model_refuses_a_window_past_the_start_too(tree):
    start = timezone.now() + timedelta(days=2)
    session = SessionPage(
        title="x",
        start=start,
        end=start + timedelta(hours=2),
        venue="v",
        registration_closes=start + timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "registration_closes" in error.value.message_dict


def test_zero_study_hours_are_refused_for_a_class_lesson(admin_client, tree):
    class_page = ClassFactory(parent=tree["town"])
    errors = field_errors(post_new(admin_client, class_page, study_hours="0"))
    assert "培训班课次必须设置学时" in errors["study_hours"]


def test_zero_study_hours_for_a_lecture_are_saved_with_a_warning(admin_client, tree):
    response = post_new(admin_client, tree["town"], study_hours="0")
    assert response.status_code == 302
    assert SessionPage.objects.get().study_hours == 0
    page = admin_client.get(response["Location"]).content.decode()
    assert "该讲次学时为 0" in page


# The schedule's dates ---------------------------------------------------------


def test_an_impossible_date_names_its_field(client):
    html = client.get("/schedule/", {"start": "2026-02-30"}).content.decode()
    assert "开始日期：" in html


def test_a_start_after_the_end_says_so_and_keeps_the_start(client, tree):
    today = timezone.localdate()
    SessionFactory(parent=tree["town"], start=timezone.now() + timedelta(days=3))
    query = {
        "start": today.isoformat(),
        "end": (today - timedelta(days=5)).isoformat(),
    }
    response = client.get("/schedule/", query)
    html = response.content.decode()
    assert "结束日期：结束日期早于开始日期" in html
    assert response.context["page_obj"].paginator.count == 1


# The evaluation's comment -----------------------------------------------------


def test_the_comment_box_counts_instead_of_cutting(client, tree):
    session = ended_session(tree["village"])
    user = UserFactory()
    attended(session, user)
    client.force_login(user)
    html = client.get(session.url + "evaluate/").content.decode()
    assert "maxlength" not in html
    assert 'data-max-chars="1000"' in html
    assert "evaluate.js" in html


def test_a_comment_over_1000_characters_is_refused_and_kept(client, tree):
    session = ended_session(tree["village"])
    user = UserFactory()
    attended(session, user)
    client.force_login(user)
    table = EvaluationForm.objects.get(is_default=True)
    data = {f"indicator_{pk}": n for pk, n in answer(table, 4, 4, 4, 4, 4).items()}
    text = "长" * 1001
    response = client.post(session.url + "evaluate/", {**data, "comment": text})
    assert response.status_code == 400
    assert "comment" in response.context["form"].errors
    assert text in response.content.decode()
