"""A topic (选题): a talk a lecturer offers to the forums of a subtree.

Topics are rows, not pages: a topic belongs to its lecturers, not to a place
in the forum tree, and it is approved by whoever administers the forums that
hold its lecturers (`topics.rules.may_review_topic`), which Wagtail's
page-path workflow cannot express. The status below is changed only by
`topics.services.menu`.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lectures.models import ForumLevel
from lectures.models.tree import ancestor_paths


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("In the menu")
    RETURNED = "returned", _("Returned for changes")


class TopicQuerySet(models.QuerySet):
    def on_menu(self) -> "TopicQuerySet":
        """Approved and currently offered: what the public menu lists."""
        return self.filter(status=TopicStatus.APPROVED, is_offered=True)

    def offered_to(self, forum) -> "TopicQuerySet":
        """Topics whose subtree holds `forum` (offered to the whole network
        when no forum is named)."""
        paths = [*ancestor_paths(forum.path), forum.path]
        return self.filter(Q(offered_to__isnull=True) | Q(offered_to__path__in=paths))

    def for_listing(self) -> "TopicQuerySet":
        return self.select_related("field", "category", "offered_to").prefetch_related(
            "lecturers"
        )


class Topic(models.Model):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), max_length=2000)
    field = models.ForeignKey(
        "lectures.Field",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topics",
    )
    category = models.ForeignKey(
        "lectures.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topics",
    )
    audience = models.CharField(
        _("suitable audience"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 村（社区）干部, 科级干部"),
    )
    tier = models.CharField(
        _("suitable tier"),
        max_length=10,
        choices=ForumLevel.choices,
        blank=True,
        help_text=_("Leave empty if it suits every tier"),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15)]
    )
    study_hours = models.DecimalField(
        _("study hours"),
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0)],
    )
    lecturers = models.ManyToManyField(
        "lectures.Lecturer", verbose_name=_("lecturers"), related_name="topics"
    )
    offered_to = models.ForeignKey(
        "lectures.ForumPage",
        verbose_name=_("offered to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A forum and everything below it; empty for the whole network"),
    )
    is_offered = models.BooleanField(_("currently offered"), default=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TopicStatus.choices,
        default=TopicStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["status", "is_offered"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("topics:topic_detail", args=[self.slug])

    @property
    def on_menu(self) -> bool:
        return self.status == TopicStatus.APPROVED and self.is_offered
