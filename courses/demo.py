"""Demo training classes, added to `load_demo` through its `build_demo` hook.

Five classes of different types around today: two past (one with confirmed
completions and certificates), one under way, two ahead and open. Everything
goes through the services — enrolment, leave, attempts, completion — with the
clock set to when it would have happened, so the demo shows what real use
leaves behind. `demo_trainee` completed the first class and is enrolled in
the upcoming leadership class.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import (
    Attempt,
    Certificate,
    ClassPage,
    ClassType,
    Enrolment,
    LeaveRequest,
    TrainingIndexPage,
)
from courses.services import assessment, completion, enrolment, leave
from lectures.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Registration,
    SessionPage,
    SessionStatus,
)

QUESTIONS = [
    (
        "single",
        "干部教育培训工作的根本目的是什么？",
        [("提高干部素质和能力", True), ("完成学时任务", False), ("评优评先", False)],
        "《干部教育培训工作条例》明确，培训的根本目的是提高干部素质和能力。",
    ),
    (
        "single",
        "村（社区）微讲坛的设立由哪一级审批？",
        [("所在镇（街道）", True), ("区委组织部", False), ("村民委员会", False)],
        "微讲坛的设立由所在镇（街道）审批。",
    ),
    (
        "multiple",
        "下列哪些属于干部培训的主要类型？",
        [
            ("业务培训", True),
            ("领导力培训", True),
            ("初任培训", True),
            ("旅游观光", False),
        ],
        "业务培训、领导力培训、初任培训、转岗培训均为常见培训类型。",
    ),
    (
        "true_false",
        "请假经批准后，该课次记为请假，不记为缺勤。",
        "true",
        "经批准的请假在考勤台账中记为请假。",
    ),
    (
        "multiple",
        "基层治理中“四议两公开”的“两公开”是指：",
        [("决议公开", True), ("实施结果公开", True), ("个人收入公开", False)],
        "两公开：决议公开、实施结果公开。",
    ),
    (
        "true_false",
        "学习效果测试超时后提交的答案仍然有效。",
        "false",
        "超时后提交的答案不计入，按时限截止时的作答评分。",
    ),
]


@dataclass
class Plan:
    title: str
    slug: str
    kind: str
    first_day: int  # days from today
    days: int
    lessons: int
    enrolled: int
    capacity: int | None
    approval: bool
    under_town: bool = False
    confirm: bool = False


PLANS = [
    Plan(
        "2026年新任科级干部初任培训班",
        "xinren-2026",
        ClassType.INITIAL,
        -60,
        5,
        6,
        40,
        50,
        False,
        confirm=True,
    ),
    Plan(
        "乡村振兴专题培训班",
        "xiangcun-zhenxing",
        ClassType.THEMATIC,
        -30,
        3,
        4,
        30,
        30,
        False,
        under_town=True,
        confirm=True,
    ),
    Plan(
        "基层党务工作业务培训班",
        "dangwu-yewu",
        ClassType.BUSINESS,
        -2,
        6,
        5,
        35,
        45,
        True,
    ),
    Plan(
        "中青年干部领导力提升培训班",
        "lingdaoli-tisheng",
        ClassType.LEADERSHIP,
        14,
        5,
        5,
        12,
        40,
        True,
    ),
    Plan(
        "转岗干部业务培训班",
        "zhuangang-yewu",
        ClassType.TRANSFER,
        30,
        3,
        3,
        0,
        30,
        False,
    ),
]
LESSON_TITLES = [
    "习近平新时代中国特色社会主义思想专题辅导",
    "基层党建工作实务",
    "依法行政与公文写作",
    "乡村振兴政策解读",
    "群众工作方法与信访处置",
    "领导干部心理调适",
    "数字政府与数据安全",
    "廉政教育与警示案例",
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class ClassDemo:
    def __init__(self, builder):
        self.builder = builder
        self.rng = random.Random(builder.seed + 4)
        self.today = builder.today
        self.now = builder.now
        User = get_user_model()
        self.admin = User.objects.get(username="demo_admin")
        self.trainee = User.objects.get(username="demo_trainee")
        self.index = TrainingIndexPage.objects.get()

    def build(self) -> None:
        pool = list(self.builder.trainees)
        for plan in PLANS:
            self.rng.shuffle(pool)
            self._class(plan, pool[: plan.enrolled])

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _questions(self) -> list[dict]:
        stream = []
        for kind, text, options, explanation in QUESTIONS:
            value = {"text": text, "explanation": explanation, "points": 1}
            if kind == "true_false":
                value["answer"] = options
            else:
                value["options"] = [
                    {
                        "type": "item",
                        "id": self._uuid(),
                        "value": {"text": label, "correct": correct},
                    }
                    for label, correct in options
                ]
            stream.append({"type": kind, "id": self._uuid(), "value": value})
        return stream

    def _class(self, plan: Plan, trainees: list) -> None:
        first = self.today + timedelta(days=plan.first_day)
        last = first + timedelta(days=plan.days - 1)
        parent = self.builder.units[0] if plan.under_town else self.index
        organiser = parent.unit_name if plan.under_town else "区委组织部"
        class_page = parent.add_child(
            instance=ClassPage(
                title=plan.title,
                slug=plan.slug,
                class_type=plan.kind,
                organiser=organiser,
                start_date=first,
                end_date=last,
                venue="区委党校报告厅"
                if not plan.under_town
                else f"{organiser}党群服务中心",
                capacity=plan.capacity,
                audience="全区科级及以下干部",
                requires_approval=plan.approval,
                enrol_opens=_at(first - timedelta(days=30), 9),
                enrol_closes=_at(first - timedelta(days=1), 18),
                min_attendance_rate=80,
                questions=self._questions(),
                pass_mark=60,
                test_opens=_at(last, 14),
                test_closes=_at(last + timedelta(days=3), 18),
                time_limit=20,
                max_attempts=2,
                introduction="<p>围绕岗位职责和实际工作需要，采取专题讲授、案例教学、研讨交流相结合的方式。</p>",
                live=True,
                first_published_at=self.now,
                last_published_at=self.now,
            )
        )
        lessons = self._lessons(class_page, first, plan)
        enrol_time = _at(first - timedelta(days=7), 10)
        people = list(trainees)
        if plan.kind in (ClassType.INITIAL, ClassType.LEADERSHIP):
            people = [self.trainee, *people[:-1]]
        self._enrol(class_page, plan, people, enrol_time)
        enrolled = set(
            Enrolment.objects.enrolled()
            .filter(class_page=class_page)
            .values_list("user_id", flat=True)
        )
        people = [user for user in people if user.pk in enrolled]
        held = [lesson for lesson in lessons if lesson.status == SessionStatus.HELD]
        if held:
            self._attendance(class_page, held, people)
        if self.now > class_page.test_opens:
            self._attempts(class_page, people)
        if plan.confirm:
            self._confirm(class_page)

    def _lessons(self, class_page, first: date, plan: Plan) -> list[SessionPage]:
        lessons = []
        lecturers = self.builder.lecturers
        fields = list(self.builder.fields.values())
        for n in range(plan.lessons):
            day = first + timedelta(days=min(n // 2, plan.days - 1))
            start = _at(day, 9 if n % 2 == 0 else 14, 30 if n % 2 else 0)
            status = (
                SessionStatus.HELD
                if start + timedelta(hours=3) < self.now
                else SessionStatus.SCHEDULED
            )
            lesson = class_page.add_child(
                instance=SessionPage(
                    title=LESSON_TITLES[(n + len(plan.slug)) % len(LESSON_TITLES)],
                    slug=f"{plan.slug}-{n + 1}",
                    start=start,
                    end=start + timedelta(hours=3),
                    venue=class_page.venue,
                    field=self.rng.choice(fields),
                    lecturers=self.rng.sample(lecturers, 1),
                    study_hours=Decimal("3.0"),
                    status=status,
                    live=True,
                    first_published_at=self.now,
                    last_published_at=self.now,
                )
            )
            lessons.append(lesson)
        return lessons

    def _enrol(self, class_page, plan: Plan, people: list, when: datetime) -> None:
        if not people:
            return
        if not plan.approval:
            enrolment.assign(class_page, people, by=self.admin, now=when)
            return
        for user in people:
            enrolment.enrol(
                class_page, user, now=class_page.enrol_opens + timedelta(hours=1)
            )
        pending = list(
            Enrolment.objects.pending().filter(class_page=class_page).order_by("pk")
        )
        # Most are approved; a few wait for a decision, one is turned down.
        for item in pending[: max(len(pending) - 4, 0)]:
            enrolment.approve(class_page, item.pk, by=self.admin, now=when)
        if len(pending) > 4:
            enrolment.reject(
                class_page,
                pending[-1].pk,
                by=self.admin,
                reason="本期名额已满，请报名下一期",
                now=when,
            )

    def _attendance(self, class_page, held: list, people: list) -> None:
        rows = []
        for lesson in held:
            for user in people:
                if user.pk == self.trainee.pk:
                    status = AttendanceStatus.PRESENT
                else:
                    roll = self.rng.random()
                    status = (
                        AttendanceStatus.PRESENT
                        if roll < 0.86
                        else AttendanceStatus.LATE
                        if roll < 0.93
                        else AttendanceStatus.ON_LEAVE
                        if roll < 0.97
                        else AttendanceStatus.ABSENT
                    )
                if status == AttendanceStatus.ON_LEAVE:
                    request = leave.request_leave(
                        class_page,
                        lesson,
                        user,
                        "单位工作冲突",
                        now=lesson.start - timedelta(days=1),
                    )
                    leave.decide(
                        class_page,
                        request.pk,
                        approve=True,
                        by=self.admin,
                        now=lesson.start - timedelta(hours=12),
                    )
                    continue
                checked = status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
                rows.append(
                    Attendance(
                        session=lesson,
                        user=user,
                        status=status,
                        method=CheckInMethod.QR if checked else CheckInMethod.ROSTER,
                        checked_in_at=(
                            lesson.start
                            + timedelta(
                                minutes=15 if status == AttendanceStatus.LATE else -5
                            )
                        )
                        if checked
                        else None,
                    )
                )
        Attendance.objects.bulk_create(rows)

    def _attempts(self, class_page, people: list) -> None:
        moment = class_page.test_opens + timedelta(hours=1)
        for user in people:
            skill = 0.95 if user.pk == self.trainee.pk else self.rng.uniform(0.45, 0.95)
            if self.rng.random() < 0.1 and user.pk != self.trainee.pk:
                continue  # did not take the test
            attempt = assessment.start_attempt(class_page, user, now=moment)
            answers = {}
            for question in class_page.question_list:
                right = self.rng.random() < skill or user.pk == self.trainee.pk
                options = [o.id for o in question.options]
                chosen = (
                    sorted(question.correct) if right else [self.rng.choice(options)]
                )
                if not right and set(chosen) == question.correct:
                    chosen = [o for o in options if o not in question.correct][:1]
                answers[question.id] = chosen
            assessment.submit(
                class_page,
                user,
                attempt.pk,
                answers,
                now=moment + timedelta(minutes=12),
            )

    def _confirm(self, class_page) -> None:
        when = _at(class_page.end_date + timedelta(days=4), 10)
        eligible = [
            row.enrolment.user_id
            for row in completion.progress(class_page, now=when)
            if row.completes
        ]
        if eligible:
            completion.confirm(class_page, eligible, by=self.admin, now=when)


def build_classes(builder) -> None:
    ClassDemo(builder).build()


def remove_classes() -> None:
    """Participation rows protect their classes and lessons: they go first."""
    classes = list(ClassPage.objects.all())
    Certificate.objects.all().delete()
    Attempt.objects.all().delete()
    LeaveRequest.objects.all().delete()
    Enrolment.objects.all().delete()
    lessons = SessionPage.objects.lessons()
    Attendance.objects.filter(session__in=lessons).delete()
    Registration.objects.filter(session__in=lessons).delete()
    for class_page in classes:
        class_page.delete()
