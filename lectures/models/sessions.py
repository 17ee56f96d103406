"""A session (讲次 / 课次): one page type for lectures and class lessons."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connections, models, transaction
from django.db.models import ExpressionWrapper, F, Func, Q
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, get_page_models
from wagtail.query import PageQuerySet
from wagtail.search import index

from lectures.choosers import SearchableCheckboxes
from lectures.models.hosts import SessionHost, SessionKind
from lectures.models.numbering import assign_number, nearest_forum
from lectures.models.tree import below
from training_site.page_cache import PublicPageMixin
from training_site.page_context import ViewContextMixin


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class AudienceScope(models.TextChoices):
    ALL = "all", _("Open to all")
    SUBTREE = "subtree", _("Only units at or below this forum")


class SessionQuerySet(PageQuerySet):
    def in_subtree(self, page: Page) -> "SessionQuerySet":
        """Sessions anywhere below `page` (a forum, a class, the home page)."""
        return self.filter(below(page.path))

    def upcoming(self, now: datetime | None = None) -> "SessionQuerySet":
        now = now or timezone.now()
        return self.filter(end__gte=now).exclude(status=SessionStatus.HELD)

    def next_first(self, now: datetime | None = None) -> "SessionQuerySet":
        """The upcoming sessions, the soonest first (ties in tree order), as the
        partial index of sessions not held (`session_not_held_by_start`)
        reads them: a list of the next few stops after a few rows, however
        many sessions were held before."""
        return self.upcoming(now).order_by("start", "path")

    def tested_in_subtree(self, page: Page) -> "SessionQuerySet":
        """Sessions below `page`, tested row by row (the path starts with
        the page's) instead of read as a range of the path index: for a
        short list read in another index's order, where the range would
        read every session of a large subtree (see
        `lectures.services.overview.subtree_lists`)."""
        return self.alias(_subtree=Left("path", len(page.path))).filter(
            _subtree=page.path
        )

    def lectures(self) -> "SessionQuerySet":
        """The forum network's own sessions, without training-class lessons."""
        return self.filter(kind=SessionKind.LECTURE)

    def lessons(self) -> "SessionQuerySet":
        return self.filter(kind=SessionKind.LESSON)

    def held(self) -> "SessionQuerySet":
        return self.filter(status=SessionStatus.HELD)

    def held_by_row(self) -> "SessionQuerySet":
        """`held()`, with the status tested on each row rather than read
        from an index: on SQLite a unary `+` (a no-op on the value) keeps
        its planner off the (status, start) index, for a small subtree read
        by its range of paths (see
        `lectures.services.overview.subtree_lists`). Elsewhere `held()`."""
        if connections[self.db].vendor != "sqlite":
            return self.held()
        row_status = Func(F("status"), template="+%(expressions)s")
        return self.alias(
            _status=ExpressionWrapper(row_status, output_field=models.CharField())
        ).filter(_status=SessionStatus.HELD)

    def starting_between(self, start=None, end=None) -> "SessionQuerySet":
        qs = self
        if start is not None:
            qs = qs.filter(start__gte=start)
        if end is not None:
            qs = qs.filter(start__lt=end)
        return qs

    def for_listing(self) -> "SessionQuerySet":
        """What a list of sessions shows, fetched in a fixed number of queries."""
        return self.select_related("forum", "field", "category").prefetch_related(
            "lecturers"
        )


SessionManager = PageManager.from_queryset(SessionQuerySet)


class ForumField(serializers.Field):
    def to_representation(self, forum):
        if forum is None:
            return None
        return {
            "id": forum.pk,
            "title": forum.title,
            "slug": forum.slug,
            "level": forum.level,
        }


class NamedField(serializers.Field):
    def to_representation(self, value):
        return None if value is None else {"name": value.name, "slug": value.slug}


class LecturersField(serializers.Field):
    def to_representation(self, manager):
        return [
            {"id": lecturer.pk, "name": lecturer.name, "title": lecturer.title}
            for lecturer in manager.all()
        ]


class SessionPageForm(WagtailAdminPageForm):
    """What the admin refuses beyond the model's rules: a new session in the
    past, a capacity of 0, a class lesson without study hours. (Imports and
    the demo write past sessions; the model's `clean` must let them.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hours = self.fields.get("study_hours")
        if hours is not None:
            hours.help_text = _("0: taking part earns no study hours")

    def is_lesson(self) -> bool:
        if self.instance.pk is not None:
            return self.instance.kind == SessionKind.LESSON
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return False
        host = parent.specific_class
        return getattr(host, "session_kind", None) == SessionKind.LESSON

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if self.instance.pk is None and start and start < timezone.now():
            self.add_error("start", _("A new session cannot start in the past."))
        if data.get("capacity") == 0:
            self.add_error(
                "capacity",
                _("A capacity of 0 lets nobody register: leave it empty for no limit."),
            )
        hours = data.get("study_hours")
        if hours is not None and hours == 0 and self.is_lesson():
            self.add_error(
                "study_hours", _("A lesson of a training class must carry study hours.")
            )
        return data


class SessionPage(ViewContextMixin, PublicPageMixin, RoutablePageMixin, Page):
    """One session; under a forum now, under a training class later."""

    # A session shows on its own page, its ancestors' pages and feeds and the
    # network-wide lists: publishing one forgets only those (page_cache.py).
    page_cache_scoped_to_ancestors = True

    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("第N期, assigned per forum"),
    )
    forum = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("forum"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    lecturers = ParentalManyToManyField(
        "lectures.Lecturer",
        verbose_name=_("lecturers"),
        blank=True,
        related_name="sessions",
    )
    description = RichTextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    venue = models.CharField(_("venue"), max_length=200)
    field = models.ForeignKey(
        "lectures.Field",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    category = models.ForeignKey(
        "lectures.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit"),
    )
    audience_scope = models.CharField(
        _("who may register"),
        max_length=10,
        choices=AudienceScope.choices,
        default=AudienceScope.ALL,
    )
    registration_opens = models.DateTimeField(
        _("registration opens"), null=True, blank=True
    )
    registration_closes = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close registration when the session starts"),
    )
    study_hours = models.DecimalField(
        _("study hours"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    record_summary = RichTextField(_("record summary"), blank=True)
    headcount = models.PositiveIntegerField(
        _("declared head-count"),
        null=True,
        blank=True,
        help_text=_(
            "How many cadres took part, for sessions without a roster; people "
            "who are not registered cadres are counted on the roster page"
        ),
    )
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=SessionKind.choices,
        default=SessionKind.LECTURE,
        editable=False,
        help_text=_("Set from where the session sits: a forum or a training class"),
    )

    objects = SessionManager()

    # A copy is a new session: its forum and 第N期 follow where it lands.
    exclude_fields_in_copy = ["number", "forum", "ical_sequence"]

    subpage_types: list[str] = []
    template = "lectures/session_page.html"
    base_form_class = SessionPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("lecturers", widget=SearchableCheckboxes),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("venue"),
        FieldRowPanel([FieldPanel("field"), FieldPanel("category")]),
        FieldPanel("audience"),
        FieldPanel("description"),
        FieldPanel("status"),
    ]
    registration_panels = [
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("study_hours")]),
        FieldPanel("audience_scope"),
        FieldRowPanel(
            [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
        ),
        InlinePanel("materials", heading=_("Materials"), label=_("Material")),
    ]
    record_panels = [
        FieldPanel("headcount"),
        FieldPanel("record_summary"),
        InlinePanel("photos", heading=_("Photos"), label=_("Photo")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Session")),
            ObjectList(registration_panels, heading=_("Registration")),
            ObjectList(record_panels, heading=_("Record")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("venue"),
        index.SearchField("description"),
        index.FilterField("start"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("number"),
        APIField("start"),
        APIField("end"),
        APIField("forum", serializer=ForumField()),
        APIField("lecturers", serializer=LecturersField()),
        APIField("venue"),
        APIField("field", serializer=NamedField()),
        APIField("category", serializer=NamedField()),
        APIField("audience"),
        APIField("status"),
        APIField("study_hours"),
        APIField("capacity"),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["status", "start"]),
            # A forum's sessions of one day: what the kept figures' triggers
            # (DayFigures) recount on every check-in and roster change. By
            # forum alone that read all of a forum's sessions (5,600 of the
            # district's own at 100×: 4.6 ms of each check-in's insert).
            models.Index(fields=["forum", "start"], name="session_forum_start"),
            # The upcoming lists (`next_first`): the few sessions not held,
            # in order of start, without the many held ones.
            models.Index(
                fields=["start"],
                condition=~Q(status=SessionStatus.HELD),
                name="session_not_held_by_start",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="session_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["forum", "number"],
                condition=Q(number__isnull=False),
                name="session_number_unique_per_forum",
            ),
        ]

    @classmethod
    def clean_parent_page_models(cls):
        """Any creatable page type that holds sessions (see `SessionHost`)."""
        return [
            model
            for model in get_page_models()
            if issubclass(model, SessionHost) and model.is_creatable
        ]

    # iCalendar clients only take an update when SEQUENCE rises, so any
    # change to what a calendar shows raises it.
    CALENDAR_FIELDS = ("title", "start", "end", "venue", "status")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The session must end after it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        # Registration closes at the start at the latest (the registration
        # service's rule): a window past the start would never be open.
        if (
            self.start
            and self.registration_opens
            and self.registration_opens >= self.start
        ):
            errors["registration_opens"] = _(
                "Registration must open before the session starts."
            )
        if (
            self.start
            and self.registration_closes
            and self.registration_closes > self.start
            and "registration_closes" not in errors
        ):
            errors["registration_closes"] = _(
                "Registration must close by the time the session starts."
            )
        if (
            self.status == SessionStatus.HELD
            and self.start
            and self.start > timezone.now()
        ):
            errors["status"] = _("A session cannot be held before it starts.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            with transaction.atomic():
                self._attach_to_forum()
                self._raise_sequence_if_changed()
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def _attach_to_forum(self):
        if self.pk is None and self.path and self.depth and self.depth > 1:
            self.kind = self.get_parent().specific_class.session_kind
        if self.forum_id is None and self.path:
            self.forum = nearest_forum(self.path)
        # 第N期 counts a forum's own lectures; class lessons are not numbered.
        if (
            self.number is None
            and self.forum_id is not None
            and self.kind == SessionKind.LECTURE
        ):
            assign_number(self)

    def _raise_sequence_if_changed(self):
        if not self.pk:
            return
        stored = (
            SessionPage.objects.filter(pk=self.pk)
            .values(*self.CALENDAR_FIELDS, "ical_sequence")
            .first()
        )
        if stored is None:
            return
        if any(stored[name] != getattr(self, name) for name in self.CALENDAR_FIELDS):
            self.ical_sequence = max(stored["ical_sequence"], self.ical_sequence) + 1
            # What it was, for the registrants' notice (lectures.signals).
            self.calendar_changes = stored

    # Derived facts -------------------------------------------------------

    @property
    def number_label(self) -> str:
        return _("No. %(number)s") % {"number": self.number} if self.number else ""

    @property
    def is_lesson(self) -> bool:
        return self.kind == SessionKind.LESSON

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def has_ended(self) -> bool:
        return self.end <= timezone.now()

    @property
    def has_record(self) -> bool:
        return self.status == SessionStatus.HELD

    # Public views --------------------------------------------------------

    @path("register/", name="register")
    def register_route(self, request):
        from lectures.views.participation import register

        return register(request, self)

    @path("cancel/", name="cancel")
    def cancel_route(self, request):
        from lectures.views.participation import cancel

        return cancel(request, self)

    @path("checkin/", name="checkin")
    def checkin_route(self, request):
        from lectures.views.checkin import trainee_checkin

        return trainee_checkin(request, self)

    @path("checkin/screen/", name="checkin_screen")
    def checkin_screen_route(self, request):
        from lectures.views.checkin import screen

        return screen(request, self)

    @path("checkin/status/", name="checkin_status")
    def checkin_status_route(self, request):
        from lectures.views.checkin import screen_status

        return screen_status(request, self)

    @path("evaluate/", name="evaluate")
    def evaluate_route(self, request):
        from lectures.views.evaluate import evaluate

        return evaluate(request, self)

    def serve_event_ics(self, request):
        """`<session URL>event.ics`."""
        from lectures.views.calendars import session_event

        return session_event(request, self)


class SessionMaterial(Orderable):
    """A document handed out with a session (课件, 讲稿)."""

    page = ParentalKey(SessionPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class SessionPhoto(Orderable):
    """A photo of the session as held (纪实)."""

    page = ParentalKey(SessionPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class SessionEvent(models.Model):
    """A session's VEVENT as the feeds print it, built once when the session
    (or a lecturer's name, or its field) changes and kept here, so a feed of
    2,000 sessions is joined from text rather than built event by event
    (`lectures.events`). Its URL is not in it: that follows the tree and the
    request's host, and is added as the feed is joined. Not content: no
    revision, copy or export holds it; a missing one is built when a feed
    first needs it."""

    session = models.OneToOneField(
        SessionPage,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="kept_event",
    )
    text = models.TextField(_("iCalendar event"))

    class Meta:
        verbose_name = _("kept calendar event")
        verbose_name_plural = _("kept calendar events")

    def __str__(self) -> str:
        return f"{self.session_id}: {len(self.text)} characters"
