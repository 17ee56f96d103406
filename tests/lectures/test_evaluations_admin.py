"""Indicator tables in the admin: who edits them, and a used table stays put."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lectures.models import EvaluationForm
from lectures.services.evaluations import submit
from tests.factories import UserFactory, answer, attended, ended_session, make_form
from tests.wagtail_admin import refused

pytestmark = pytest.mark.django_db


def edit_url(form):
    return reverse("wagtailsnippets_lectures_evaluationform:edit", args=[form.pk])


def form_data(form, *, scale=None, weights=None, names=None, extra=None):
    indicators = list(form.indicators.order_by("sort_order"))
    rows = [
        {
            "id": indicator.pk,
            "name": (names or {}).get(n, indicator.name),
            "weight": (weights or {}).get(n, indicator.weight),
            "description": indicator.description,
            "ORDER": n + 1,
        }
        for n, indicator in enumerate(indicators)
    ]
    rows += extra or []
    return nested_form_data(
        {
            "name": form.name,
            "scale": scale or form.scale,
            "introduction": form.introduction,
            "allow_comments": "on",
            "indicators": inline_formset(rows, initial=len(indicators)),
        }
    )


def test_district_administrators_edit_tables_others_do_not(client, people):
    form = make_form("试用表", 50, 50)
    client.force_login(people["district_admin"])
    assert client.get(edit_url(form)).status_code == 200
    client.force_login(people["town_admin"])
    assert refused(client.get(edit_url(form)))


def test_an_unused_table_may_change_anything(client, people):
    form = make_form("试用表", 50, 50)
    client.force_login(people["district_admin"])
    response = client.post(edit_url(form), form_data(form, scale=5, weights={0: 10}))
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.scale == 5
    assert form.indicators.get(name="指标1").weight == 10


@pytest.mark.parametrize(
    "change",
    [
        {"scale": 5},
        {"weights": {0: 10}},
        {"extra": [{"id": "", "name": "新指标", "weight": 5, "description": ""}]},
    ],
)
def test_a_used_table_keeps_its_scale_indicators_and_weights(
    client, tree, people, change
):
    form = make_form("已用表", 50, 50)
    tree["district"].evaluation_form = form
    tree["district"].save()
    session = ended_session(tree["town"])
    user = UserFactory()
    attended(session, user)
    submit(session, user, answer(form, 4, 3))
    client.force_login(people["district_admin"])

    response = client.post(edit_url(form), form_data(form, **change))
    assert response.status_code == 200  # the form again, with the reason
    assert "已被使用" in response.content.decode()
    form.refresh_from_db()
    assert form.scale == 4
    assert list(form.indicators.values_list("weight", flat=True)) == [50, 50]

    renamed = client.post(edit_url(form), form_data(form, names={0: "讲授水平"}))
    assert renamed.status_code == 302
    assert form.indicators.filter(name="讲授水平").exists()


def test_only_one_default_table(client, people):
    client.force_login(people["district_admin"])
    other = make_form("另一张表", 100)
    data = form_data(other)
    data["is_default"] = "on"
    response = client.post(edit_url(other), data)
    assert response.status_code == 200
    assert EvaluationForm.objects.filter(is_default=True).count() == 1


def test_the_evaluation_menu_is_there_for_lecturers_not_trainees(client, people):
    client.force_login(people["lecturer"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("lectures_evaluations") in html
    assert reverse("wagtailsnippets_lectures_evaluationform:list") not in html
    client.force_login(people["district_admin"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsnippets_lectures_evaluationform:list") in html
