"""Training classes (培训班) as pages: the index at /classes/ and one page per class.

A class's lessons are ordinary `lectures.SessionPage` children, so check-in,
rosters, feeds and evaluation work for them as for any lecture.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from courses.blocks import QuestionBankBlock, questions_of
from lectures.models import SessionHost, SessionKind
from lectures.models.evaluations import EvaluationFormHost
from training_site.page_cache import PublicPageMixin
from training_site.page_context import ViewContextMixin


class ClassType(models.TextChoices):
    BUSINESS = "business", _("Professional training (业务培训)")
    LEADERSHIP = "leadership", _("Leadership training (领导力培训)")
    INITIAL = "initial", _("Induction training (初任培训)")
    TRANSFER = "transfer", _("Job-transfer training (转岗培训)")
    THEMATIC = "thematic", _("Thematic training (专题培训)")
    OTHER = "other", _("Other")


class ClassPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ONGOING = "ongoing", _("In progress")
    FINISHED = "finished", _("Finished")


class TrainingIndexPage(ViewContextMixin, PublicPageMixin, Page):
    """`/classes/`: every training class on the site, wherever it sits."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["training_site.HomePage"]
    subpage_types = ["courses.ClassPage"]
    max_count = 1
    template = "courses/training_index_page.html"

    class Meta:
        verbose_name = _("training index")


class ClassQuerySet(PageQuerySet):
    def in_phase(self, phase: str, today: date | None = None) -> "ClassQuerySet":
        today = today or timezone.localdate()
        if phase == ClassPhase.UPCOMING:
            return self.filter(start_date__gt=today)
        if phase == ClassPhase.ONGOING:
            return self.filter(start_date__lte=today, end_date__gte=today)
        if phase == ClassPhase.FINISHED:
            return self.filter(end_date__lt=today)
        return self

    def open_for_enrolment(self, now: datetime | None = None) -> "ClassQuerySet":
        """Classes whose enrolment window holds `now`, as `enrolment_open` says:
        it closes at `enrol_closes`, else when the first day begins."""
        now = now or timezone.now()
        closes_later = models.Q(enrol_closes__gt=now) | models.Q(
            enrol_closes__isnull=True, start_date__gt=timezone.localdate(now)
        )
        return self.filter(closes_later).exclude(enrol_opens__gt=now)


ClassManager = PageManager.from_queryset(ClassQuerySet)


class ClassPage(
    ViewContextMixin,
    PublicPageMixin,
    EvaluationFormHost,
    SessionHost,
    RoutablePageMixin,
    Page,
):
    """One training class: its lessons are the session pages below it."""

    session_kind = SessionKind.LESSON

    class_type = models.CharField(
        _("type"), max_length=12, choices=ClassType.choices, default=ClassType.BUSINESS
    )
    organiser = models.CharField(_("organising unit"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit")
    )
    audience = models.CharField(_("target audience"), max_length=200, blank=True)
    enrol_opens = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrol_closes = models.DateTimeField(
        _("enrolment closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close enrolment when the class begins"),
    )
    requires_approval = models.BooleanField(
        _("enrolment needs approval"), default=False
    )
    introduction = RichTextField(_("introduction"), blank=True)
    min_attendance_rate = models.PositiveSmallIntegerField(
        _("minimum attendance rate (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of his lessons a trainee must attend to complete"),
    )
    questions = StreamField(
        QuestionBankBlock(),
        verbose_name=_("questions"),
        blank=True,
        use_json_field=True,
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    test_opens = models.DateTimeField(_("test opens"), null=True, blank=True)
    test_closes = models.DateTimeField(_("test closes"), null=True, blank=True)
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    objects = ClassManager()

    parent_page_types = [
        "courses.TrainingIndexPage",
        "lectures.DistrictForumPage",
        "lectures.UnitForumPage",
    ]
    subpage_types = ["lectures.SessionPage"]
    template = "courses/class_page.html"

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("class_type"), FieldPanel("organiser")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("venue"),
        FieldPanel("audience"),
        FieldPanel("introduction"),
    ]
    enrolment_panels = [
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("requires_approval")]),
        FieldRowPanel([FieldPanel("enrol_opens"), FieldPanel("enrol_closes")]),
        FieldPanel("min_attendance_rate"),
        FieldPanel("evaluation_form"),
    ]
    test_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("test_opens"), FieldPanel("test_closes")]),
                FieldRowPanel(
                    [
                        FieldPanel("pass_mark"),
                        FieldPanel("time_limit"),
                        FieldPanel("max_attempts"),
                    ]
                ),
            ],
            heading=_("Test settings"),
        ),
        FieldPanel("questions"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Class")),
            ObjectList(enrolment_panels, heading=_("Enrolment and completion")),
            ObjectList(test_panels, heading=_("Learning-effect test")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("organiser"),
        index.SearchField("introduction"),
        index.FilterField("class_type"),
        index.FilterField("start_date"),
    ]
    api_fields = [
        APIField("class_type"),
        APIField("organiser"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("venue"),
        APIField("capacity"),
        APIField("audience"),
        APIField("requires_approval"),
    ]

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        indexes = [models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="class_ends_on_or_after_it_starts",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The class must end on or after its first day.")
        if (
            self.enrol_opens
            and self.enrol_closes
            and self.enrol_closes <= self.enrol_opens
        ):
            errors["enrol_closes"] = _("Enrolment must close after it opens.")
        if self.test_opens and self.test_closes and self.test_closes <= self.test_opens:
            errors["test_closes"] = _("The test must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Attempts name questions and options by id: make sure every option
        # has one stored, also when the bank was written by code in the old
        # list format (the editor always sends ids).
        block = self.questions.stream_block
        questions = block.to_python(self.questions.raw_data)
        list(questions)  # bind every child, so none is written back raw
        self.questions = block.get_prep_value(questions)
        return super().save(*args, **kwargs)

    # Derived facts -------------------------------------------------------

    @property
    def question_list(self):
        return questions_of(self.questions)

    @property
    def has_test(self) -> bool:
        return len(self.questions) > 0

    def phase(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.start_date:
            return ClassPhase.UPCOMING
        if today > self.end_date:
            return ClassPhase.FINISHED
        return ClassPhase.ONGOING

    @property
    def phase_label(self) -> str:
        return ClassPhase(self.phase()).label

    @property
    def begins_at(self) -> datetime:
        """Midnight (Asia/Shanghai) of the first day."""
        first_day = datetime.combine(self.start_date, datetime.min.time())
        return timezone.make_aware(first_day)

    @property
    def enrol_closes_at(self) -> datetime:
        return self.enrol_closes or self.begins_at

    def enrolment_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.enrol_opens and now < self.enrol_opens:
            return False
        return now < self.enrol_closes_at

    def test_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.has_test:
            return False
        if self.test_opens and now < self.test_opens:
            return False
        return not (self.test_closes and now >= self.test_closes)

    def test_window_closed(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.test_closes and now >= self.test_closes)

    # Public views --------------------------------------------------------

    @path("")
    def index_route(self, request, *args, **kwargs):
        # Its trainee's page is kept whole for him (not a preview: a draft
        # is shown as it is now).
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            from courses.views.class_page import class_page_response

            request.is_preview = False
            return class_page_response(self, request)
        return super().index_route(request, *args, **kwargs)

    @path("enrol/", name="enrol")
    def enrol_route(self, request):
        from courses.views.enrolment import enrol

        return enrol(request, self)

    @path("withdraw/", name="withdraw")
    def withdraw_route(self, request):
        from courses.views.enrolment import withdraw

        return withdraw(request, self)

    @path("leave/<int:lesson_id>/", name="leave")
    def leave_route(self, request, lesson_id):
        from courses.views.leave import request_leave

        return request_leave(request, self, lesson_id)

    @path("test/", name="test")
    def test_route(self, request):
        from courses.views.test import test_page

        return test_page(request, self)

    @path("test/start/", name="test_start")
    def test_start_route(self, request):
        from courses.views.test import start

        return start(request, self)

    @path("test/submit/", name="test_submit")
    def test_submit_route(self, request):
        from courses.views.test import submit

        return submit(request, self)

    @path("test/save/", name="test_save")
    def test_save_route(self, request):
        from courses.views.test import save_answers

        return save_answers(request, self)

    def serve_feed_ics(self, request):
        """`<class page URL>feed.ics`: every lesson of the class."""
        from courses.views.calendars import class_feed

        return class_feed(request, self)
