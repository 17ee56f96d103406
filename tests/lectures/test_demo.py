"""The demo network has the seed's figures, `lecture_stats` reports them, and
its public pages name no trainee."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from lectures.counting import person_times
from lectures.models import (
    Attendance,
    ForumPage,
    Lecturer,
    Registration,
    SessionPage,
    SessionStatus,
    TraineeProfile,
)
from tests import privacy_scan


def stats_json(*args) -> dict:
    out = StringIO()
    call_command("lecture_stats", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_demo_has_the_seed_network(demo):
    counts = {
        level: ForumPage.objects.live().filter(level=level).count()
        for level in ("district", "unit", "village")
    }
    assert counts == {"district": 1, "unit": 57, "village": 48}
    held = SessionPage.objects.lectures().filter(status=SessionStatus.HELD)
    assert held.count() == 520
    people = person_times(SessionPage.objects.lectures())
    assert 19_000 <= people <= 21_000
    assert people == demo.person_times
    assert SessionPage.objects.filter(
        start__gt=held.order_by("-start")[0].start
    ).exists()
    assert Lecturer.objects.count() == 60


@pytest.mark.django_db
def test_every_forum_has_its_groups_and_demo_roles(demo):
    assert not ForumPage.objects.filter(admin_group=None).exists()
    assert not ForumPage.objects.filter(lecturer_group=None).exists()
    from django.contrib.auth import get_user_model

    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__startswith="demo_")
    }
    town = users["demo_town"].groups.get().administered_forum
    village = users["demo_village"].groups.get().administered_forum
    assert village.get_parent().pk == town.pk
    assert users["demo_lecturer"].lecturer.forums.get().pk == town.pk
    assert users["demo_lecturer"].groups.get().lecturing_forum.pk == town.pk
    assert users["demo_admin"].groups.get().administered_forum.level == "district"
    assert not users["demo_trainee"].groups.exists()


@pytest.mark.django_db
def test_lecture_stats_json_matches_the_rows(demo):
    data = stats_json()
    assert data["forums"] == {"district": 1, "unit": 57, "village": 48}
    assert data["sessions_held"] == 520
    assert data["participants"] == demo.person_times
    assert set(data) >= {
        "forums",
        "sessions_held",
        "participants",
        "unique_participants",
        "period",
    }
    assert set(data["period"]) == {"from", "to"}


@pytest.mark.django_db
def test_two_adjacent_periods_add_up_to_their_union(demo):
    first = stats_json("--from", "2025-01-01", "--to", "2026-05-31")
    second = stats_json("--from", "2026-06-01", "--to", "2026-12-31")
    union = stats_json("--from", "2025-01-01", "--to", "2026-12-31")
    for key in ("sessions_held", "participants"):
        assert first[key] + second[key] == union[key]


@pytest.mark.django_db
def test_a_subtree_is_part_of_the_whole(demo):
    whole = stats_json()
    parts = [
        stats_json("--forum", slug)
        for slug in ForumPage.objects.filter(level="unit").values_list(
            "slug", flat=True
        )
    ]
    district_only = (
        SessionPage.objects.lectures()
        .filter(status=SessionStatus.HELD, forum__level="district")
        .count()
    )
    assert (
        sum(p["sessions_held"] for p in parts) + district_only == whole["sessions_held"]
    )


@pytest.mark.django_db
def test_text_format_prints_the_work_report_paragraph(demo):
    out = StringIO()
    call_command("lecture_stats", stdout=out)
    text = out.getvalue()
    assert "区级大讲坛1个" in text
    assert "小讲坛57个" in text
    assert "微讲坛48个" in text
    assert "已开讲520期" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2026-13-01"],
        ["--to", "yesterday"],
        ["--forum", "no-such-forum"],
        ["--from", "2026-06-01", "--to", "2026-01-01"],
    ],
)
def test_lecture_stats_refuses_bad_input_clearly(demo, args):
    with pytest.raises(CommandError):
        call_command("lecture_stats", *args, stdout=StringIO())


@pytest.mark.django_db
def test_load_demo_refuses_a_non_empty_database(demo):
    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo", verbosity=0)
    call_command("load_demo", "--if-empty", verbosity=0)
    assert ForumPage.objects.filter(level="district").count() == 1


@pytest.mark.django_db
def test_rosters_for_district_and_unit_sessions_head_counts_for_villages(demo):
    assert TraineeProfile.objects.count() >= 3000
    held = SessionPage.objects.lectures().filter(status=SessionStatus.HELD)
    village = held.filter(forum__level="village")
    assert not Attendance.objects.filter(session__in=village).exists()
    assert not village.filter(headcount=None).exists()
    rostered = held.exclude(forum__level="village")
    assert not rostered.filter(attendances=None).exists()
    assert Registration.objects.filter(session__in=rostered).count() >= (
        Attendance.objects.filter(session__in=rostered).count()
    )


@pytest.mark.django_db
def test_the_demo_trainee_has_a_history_and_open_registrations(demo, client):
    from django.contrib.auth import get_user_model

    trainee = get_user_model().objects.get(username="demo_trainee")
    client.force_login(trainee)
    response = client.get("/me/")
    history = response.context["history"]
    assert len(history) >= 10
    # His hours are this year's sessions in it (none on New Year's Day).
    this_year = timezone.localdate().year
    earned = response.context["ledger"].earned
    assert earned["sessions"] + earned["lessons"] == sum(
        attendance.session.study_hours
        for attendance in history
        if timezone.localtime(attendance.session.start).year == this_year
        and attendance.status in ("present", "late")
    )
    assert len(response.context["upcoming"]) >= 1
    assert response.context["ledger"].rank_name == "乡科级副职"


# Privacy: the demo's public face names no trainee ----------------------------


@pytest.mark.django_db
def test_no_trainee_is_named_on_any_public_page(demo):
    """3,000 trainees with registrations, rosters and check-ins: the public
    pages, feeds and API answers show none of their names or mobiles. The
    scan reads a sample of every kind of page (tests/privacy_scan.py says
    why that is enough) and fails on a kind it did not reach."""
    found = privacy_scan.scan(Client())
    assert len(found) >= 150  # every kind, several of each
    assert any(url.startswith("/api/v2/pages/?type=lectures.Session") for url in found)
    assert {url: names for url, names in found.items() if names} == {}


@pytest.mark.django_db
def test_the_privacy_scan_would_see_a_leak(demo):
    profile = TraineeProfile.objects.order_by("pk").first()
    page = f"<p>签到：{profile.real_name}（{profile.mobile}）</p>"
    found = privacy_scan.leaks(page, privacy_scan.secrets())
    assert found >= {profile.real_name, profile.mobile}


@pytest.mark.django_db
def test_the_privacy_scan_knows_every_kind_of_page(demo):
    kinds = privacy_scan.Kinds()
    models = {kind[0] for kind in kinds.pages.values()}
    assert models >= {
        "homepage",
        "districtforumpage",
        "unitforumpage",
        "villageforumpage",
        "sessionpage",
        "trainingindexpage",
        "classpage",
    }
    held = SessionPage.objects.lectures().filter(status=SessionStatus.HELD).first()
    assert kinds.of(held.url + "event.ics?x=1") == (
        *kinds.pages[held.url],
        "event.ics",
        ("x",),
    )
    missed = privacy_scan.kinds_missed(kinds, ["/", held.url])
    assert kinds.pages[held.url] not in missed
    assert ("villageforumpage",) in missed


@pytest.mark.django_db
def test_demo_has_evaluations_waiting_and_results_to_show(demo):
    from django.contrib.auth import get_user_model

    from lectures import rules
    from lectures.models import EvaluationReceipt
    from lectures.services import evaluation_results as results
    from lectures.services.evaluations import awaiting_evaluation

    users = get_user_model().objects
    assert awaiting_evaluation(users.get(username="demo_trainee"), days=7).exists()
    lecturer = users.get(username="demo_lecturer")
    assert results.shown(rules.visible_sessions(lecturer)).count() >= 3
    everything = SessionPage.objects.all()
    assert EvaluationReceipt.objects.count() == results.responses(everything)
    summary = results.summary(everything)
    assert 0.5 < summary.responses / summary.attendees < 0.95
    assert 70 < summary.satisfaction < 97
