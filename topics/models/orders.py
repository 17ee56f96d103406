"""Orders (点单) for topics, and trainees' support (我也想听).

An order moves ordered → dispatched → accepted → fulfilled, or ends declined
(by the dispatchers) or cancelled (by the ordering forum); a lecturer who
declines hands it back to be dispatched again. Only
`topics.services.orders` changes an order, under a row lock; the
constraints below keep what the database can.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("Waiting to be dispatched")
    DISPATCHED = "dispatched", _("Waiting for the lecturer")
    ACCEPTED = "accepted", _("Accepted")
    FULFILLED = "fulfilled", _("Fulfilled")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


#: States in which an order names its lecturer.
WITH_LECTURER = (OrderStatus.DISPATCHED, OrderStatus.ACCEPTED, OrderStatus.FULFILLED)
#: States in which an order has its session.
WITH_SESSION = (OrderStatus.ACCEPTED, OrderStatus.FULFILLED)
#: States still waiting for someone.
OPEN = (OrderStatus.ORDERED, OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)


class TopicOrderQuerySet(models.QuerySet):
    def for_listing(self) -> "TopicOrderQuerySet":
        return self.select_related(
            "topic", "forum", "lecturer", "session", "escalated_to"
        )

    def open(self) -> "TopicOrderQuerySet":
        return self.filter(status__in=OPEN)


class TopicOrder(models.Model):
    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    forum = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("ordering forum"),
        on_delete=models.PROTECT,
        related_name="topic_orders",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrderStatus.choices,
        default=OrderStatus.ORDERED,
    )
    preferred_from = models.DateField(_("preferred from"))
    preferred_to = models.DateField(_("preferred until"))
    audience_size = models.PositiveIntegerField(_("expected audience"))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered at"))
    lecturer = models.ForeignKey(
        "lectures.Lecturer",
        verbose_name=_("lecturer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topic_orders",
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    session = models.OneToOneField(
        "lectures.SessionPage",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topic_order",
    )
    reason = models.CharField(
        _("reason"),
        max_length=500,
        blank=True,
        help_text=_("Why it was last declined or cancelled"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("flagged to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TopicOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "ordered_at"]),
            models.Index(fields=["ordered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_to__gte=models.F("preferred_from")),
                name="topic_order_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=WITH_LECTURER) | Q(lecturer__isnull=False),
                name="topic_order_dispatched_has_lecturer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=WITH_SESSION) | Q(session__isnull=False),
                name="topic_order_accepted_has_session",
            ),
        ]

    def __str__(self):
        return f"{self.topic} → {self.forum}"

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at is not None and self.status in OPEN


class TopicSupport(models.Model):
    """我也想听: a trainee wants a topic for his own unit's forum."""

    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    forum = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"], name="topic_support_once_per_user"
            )
        ]

    def __str__(self):
        return f"{self.topic} · {self.forum}"
