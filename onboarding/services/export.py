"""The network as the workbook `import_network` reads (`export_network`, and
the admin's download): a district can move between installations, and the
template is the same sheets with one example row each."""

from collections import Counter, defaultdict

from django.utils import timezone

from lectures.models import (
    Attendance,
    ForumPage,
    Lecturer,
    OtherAttendees,
    RatingTally,
    SessionEvaluation,
    SessionPage,
    TraineeProfile,
)
from onboarding.services.network import (
    ROSTER_COLUMNS,
    SHEET_NAMES,
    STATUSES,
    TIERS,
    UNIT_KINDS,
    ForumSheet,
    LecturerSheet,
    SessionSheet,
    TraineeSheet,
    first_word,
    moment_text,
)
from training_site.spreadsheets import Sheet, ledger_book


def _headers(importer) -> list[str]:
    return [column.title for column in importer.columns]


def _sheet(key: str, importer, rows) -> Sheet:
    return Sheet(
        title="", name=SHEET_NAMES[key][0], headers=_headers(importer), rows=rows
    )


def forum_rows() -> list[list]:
    forums = list(ForumPage.objects.order_by("path"))
    by_path = {forum.path: forum for forum in forums}
    rows = []
    for forum in forums:
        parent = by_path.get(forum.path[: -ForumPage.steplen])
        rows.append(
            [
                first_word(TIERS, forum.level),
                parent.slug if parent else "",
                forum.title,
                forum.slug,
                first_word(UNIT_KINDS, forum.unit_kind),
                forum.unit_name,
                forum.founded_on.isoformat() if forum.founded_on else "",
                forum.contact_name,
                forum.contact_phone,
                forum.address,
            ]
        )
    return rows


def trainee_rows() -> list[list]:
    profiles = TraineeProfile.objects.select_related("user", "unit_forum").order_by(
        "pk"
    )
    return [
        [
            profile.real_name,
            profile.mobile,
            profile.unit_forum.slug if profile.unit_forum else "",
            profile.unit_name,
            profile.position,
            profile.rank,
            profile.user.get_username(),
        ]
        for profile in profiles
    ]


def lecturer_rows() -> list[list]:
    lecturers = Lecturer.objects.select_related("user__trainee").prefetch_related(
        "fields", "forums"
    )
    rows = []
    for lecturer in lecturers.order_by("pk"):
        profile = getattr(lecturer.user, "trainee", None) if lecturer.user else None
        rows.append(
            [
                lecturer.name,
                lecturer.title,
                lecturer.unit,
                "、".join(f.name for f in lecturer.fields.all()),
                "、".join(f.slug for f in lecturer.forums.all()),
                profile.mobile if profile else "",
            ]
        )
    return rows


def evaluation_cells(session_ids: list[int]) -> dict[int, list]:
    """{session id: [table, responses, ratings]}, from the anonymous side
    alone (envelopes and tallies; never a receipt)."""
    envelopes = {
        e.session_id: e
        for e in SessionEvaluation.objects.filter(
            session_id__in=session_ids
        ).select_related("form")
    }
    counts: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    tallies = RatingTally.objects.filter(session_id__in=session_ids).values_list(
        "session_id", "indicator_id", "level", "count"
    )
    for session_id, indicator_id, level, count in tallies:
        counts[session_id][(indicator_id, level)] = count
    indicators = {}
    for envelope in envelopes.values():
        if envelope.form_id not in indicators:
            indicators[envelope.form_id] = list(envelope.form.indicators.all())
    cells = {}
    for session_id, envelope in envelopes.items():
        scale, kept = envelope.form.scale, counts.get(session_id, {})
        ratings = [
            f"{indicator.name}:"
            + "/".join(
                str(kept.get((indicator.pk, level), 0)) for level in range(scale, 0, -1)
            )
            for indicator in indicators[envelope.form_id]
            if any((indicator.pk, level) in kept for level in range(1, scale + 1))
        ]
        cells[session_id] = [envelope.form.name, envelope.responses, "；".join(ratings)]
    return cells


def session_rows() -> list[list]:
    """The network's own sessions that have started (lessons of classes are
    not the network's), each with its roster by mobile or its head-count,
    and its evaluation results if it has any."""
    sessions = list(
        SessionPage.objects.live()
        .lectures()
        .filter(start__lte=timezone.now(), forum__isnull=False)
        .select_related("forum", "field", "category")
        .prefetch_related("lecturers")
        .order_by("forum__path", "start", "pk")
    )
    names = Counter(Lecturer.objects.values_list("name", flat=True))
    rosters: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    attendance = Attendance.objects.filter(
        session__in=[s.pk for s in sessions], user__trainee__isnull=False
    ).values_list("session_id", "status", "user__trainee__mobile")
    for session_id, status, mobile in attendance.order_by("session_id", "pk"):
        rosters[session_id][status].append(mobile)
    evaluations = evaluation_cells([s.pk for s in sessions])
    others = dict(
        OtherAttendees.objects.filter(
            session_id__in=[s.pk for s in sessions]
        ).values_list("session_id", "count")
    )

    def lecturer_name(lecturer) -> str:
        if names[lecturer.name] > 1:
            return f"{lecturer.name}（{lecturer.unit}）"
        return lecturer.name

    rows = []
    for session in sessions:
        roster = rosters.get(session.pk, {})
        rows.append(
            [
                session.forum.slug,
                moment_text(session.start),
                moment_text(session.end),
                session.title,
                "、".join(lecturer_name(x) for x in session.lecturers.all()),
                session.venue,
                session.field.name if session.field else "",
                session.category.name if session.category else "",
                session.study_hours,
                first_word(STATUSES, session.status)
                if session.status in STATUSES
                else first_word(STATUSES, "held"),
                "" if roster or session.headcount is None else session.headcount,
                *(
                    "、".join(roster.get(status, []))
                    for status in ROSTER_COLUMNS.values()
                ),
                session.number or "",
                others.get(session.pk, ""),
                *evaluations.get(session.pk, ["", "", ""]),
            ]
        )
    return rows


def export_network() -> bytes:
    """Forums, trainees, lecturers and past sessions as one workbook."""
    return ledger_book(
        [
            _sheet("forums", ForumSheet, forum_rows()),
            _sheet("trainees", TraineeSheet, trainee_rows()),
            _sheet("lecturers", LecturerSheet, lecturer_rows()),
            _sheet("sessions", SessionSheet, session_rows()),
        ]
    )


def template_workbook() -> bytes:
    """The four sheets with their Chinese headers and one example row each."""
    return ledger_book(
        [
            _sheet(
                "forums",
                ForumSheet,
                [
                    [
                        "小讲坛",
                        "",
                        "城关镇干部讲坛",
                        "chengguan",
                        "镇",
                        "城关镇",
                        "2020-03-01",
                        "张老师",
                        "0571-80000000",
                        "城关镇人民政府",
                    ],
                    [
                        "微讲坛",
                        "chengguan",
                        "东风村微讲坛",
                        "dongfeng",
                        "村",
                        "东风村",
                        "2021-05-01",
                        "李书记",
                        "",
                        "",
                    ],
                ],
            ),
            _sheet(
                "trainees",
                TraineeSheet,
                [["张三", "13800000000", "chengguan", "", "科员", "一般干部", ""]],
            ),
            _sheet(
                "lecturers",
                LecturerSheet,
                [["王建国", "区委党校教授", "区委党校", "理论学习", "chengguan", ""]],
            ),
            _sheet(
                "sessions",
                SessionSheet,
                [
                    [
                        "chengguan",
                        "2026-05-08 09:00",
                        "2026-05-08 11:00",
                        "学习贯彻党的创新理论",
                        "王建国",
                        "城关镇会议室",
                        "理论学习",
                        "专题讲座",
                        2,
                        "已举办",
                        "",
                        "13800000000",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "干部讲坛教学质量评估表",
                        1,
                        "内容针对性:1/0/0/0；讲授水平:1/0/0/0；组织管理:0/1/0/0；"
                        "学习收获:1/0/0/0；总体评价:1/0/0/0",
                    ],
                ],
            ),
        ]
    )
