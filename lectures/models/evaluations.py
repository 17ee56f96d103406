"""Teaching-quality evaluations (教学质量评估), anonymous in the database.

Two sides that never meet:

* **who** — `EvaluationReceipt` (session, user, day): someone has evaluated a
  session; it says nothing of what he answered.
* **what** — `RatingTally` (per session, indicator and level, a count),
  `EvaluationComment` (a text with a random id) and `SessionEvaluation`
  (the form in force and the number of responses). No user, no trainee, no
  sequential id, no time of day, and no row per response: a rating is a +1 on
  a tally, so there is nothing to line up against the receipts.

Rules (who may evaluate, when, once) live in `lectures.services.evaluations`;
figures in `lectures.services.evaluation_results`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class EvaluationScale(models.IntegerChoices):
    FOUR_LEVELS = 4, _("Four levels: satisfied, fairly satisfied, so-so, dissatisfied")
    FIVE_POINTS = 5, _("Points from 1 to 5")


FOUR_LEVEL_LABELS = {
    4: _("Satisfied"),
    3: _("Fairly satisfied"),
    2: _("So-so"),
    1: _("Dissatisfied"),
}


def level_label(scale: int, level: int) -> str:
    """满意 / 较满意 / 一般 / 不满意 on the four-level scale, else the points."""
    if scale == EvaluationScale.FOUR_LEVELS:
        return str(FOUR_LEVEL_LABELS[level])
    return str(level)


def level_points(scale: int, level: int) -> int:
    """A level on a 100-point basis, so tables with different scales compare."""
    return level * 100 // scale


def is_satisfied(scale: int, level: int) -> bool:
    """The top two levels (满意 and 较满意, or 5 and 4) count as satisfied."""
    return level >= scale - 1


class EvaluationFormQuerySet(models.QuerySet):
    def default(self):
        return self.filter(is_default=True)


class EvaluationForm(ClusterableModel):
    """An indicator table (评估表): weighted indicators rated on one scale.

    Once a session has been evaluated with it, its scale and its indicators'
    set and weights are frozen (the admin refuses changes), so every figure
    stays what it was when the answers were given.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    scale = models.PositiveSmallIntegerField(
        _("scale"), choices=EvaluationScale.choices, default=EvaluationScale.FOUR_LEVELS
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown to trainees above the indicators"),
    )
    allow_comments = models.BooleanField(_("ask for a comment"), default=True)
    is_default = models.BooleanField(
        _("default table"),
        default=False,
        help_text=_("Used for every session whose forum or class chose no table"),
    )

    objects = EvaluationFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_evaluation_form",
            ),
        ]

    def __str__(self):
        return self.name

    def levels(self) -> list[tuple[int, str]]:
        """(level, label), best first, as the trainee sees them."""
        return [
            (level, level_label(self.scale, level))
            for level in range(self.scale, 0, -1)
        ]


class EvaluationIndicator(Orderable):
    """One line of a table (e.g. 讲授水平) with its weight."""

    form = ParentalKey(
        EvaluationForm, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Relative weight in the overall score, e.g. 20 for 20%"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="indicator_weight_1_to_100",
            ),
        ]

    def __str__(self):
        return self.name


class EvaluationFormHost(models.Model):
    """A page (forum, training class) that may choose the table of its sessions.

    A session uses the table of its nearest ancestor that chose one, else the
    default table (`lectures.services.evaluations.resolve_form`).
    """

    evaluation_form = models.ForeignKey(
        EvaluationForm,
        verbose_name=_("evaluation form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "For the sessions below; leave empty to use the table above or the default"
        ),
    )

    class Meta:
        abstract = True


# The "who" side ---------------------------------------------------------------


class EvaluationReceipt(models.Model):
    """That a trainee has evaluated a session — and nothing of what he said."""

    session = models.ForeignKey(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluation_receipts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="evaluation_receipts",
    )
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("evaluation receipt")
        verbose_name_plural = _("evaluation receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_evaluation_per_trainee"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.session_id}"


# The "what" side: no user, no time, no sequential id ----------------------------


class SessionEvaluation(models.Model):
    """A session's envelope: the table it is evaluated with, and how many answered."""

    session = models.OneToOneField(
        "lectures.SessionPage",
        verbose_name=_("session"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    form = models.ForeignKey(
        EvaluationForm,
        verbose_name=_("evaluation form"),
        on_delete=models.PROTECT,
        related_name="session_evaluations",
    )
    responses = models.PositiveIntegerField(_("responses"), default=0)

    class Meta:
        verbose_name = _("session evaluation")
        verbose_name_plural = _("session evaluations")

    def __str__(self):
        return f"{self.session_id}: {self.responses}"


class RatingTally(models.Model):
    """How many rated one indicator of one session at one level.

    Points, weight and whether the level counts as satisfied are copied from
    the (frozen) table when the tallies are made, so any selection of
    sessions is scored by one aggregate over this table alone.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="rating_tallies",
    )
    indicator = models.ForeignKey(
        EvaluationIndicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="tallies",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    points = models.PositiveSmallIntegerField(_("points"))
    weight = models.PositiveSmallIntegerField(_("weight"))
    satisfied = models.BooleanField(_("satisfied"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rating tally")
        verbose_name_plural = _("rating tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "indicator", "level"],
                name="one_tally_per_session_indicator_level",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="tally_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(points__lte=100), name="tally_points_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.indicator_id} · {self.level}: {self.count}"


class RatingCount(models.Model):
    """How many ratings a session's tallies hold, and how many are satisfied.

    Kept by the database itself, as `RosterCount` is: triggers on the tally
    table (migration 0009) add every insert, change and delete in the same
    transaction. The reports sum these instead of a session's tallies (20 a
    session; 728,000 for a year at 100× the seed).
    `lectures.services.kept_counts.rating_drift` compares them with a recount."""

    session = models.OneToOneField(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rating_count",
    )
    rated = models.PositiveIntegerField(_("ratings"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied ratings"), default=0)

    class Meta:
        verbose_name = _("rating count")
        verbose_name_plural = _("rating counts")

    def __str__(self):
        return f"{self.session_id}: {self.satisfied}/{self.rated}"


class EvaluationComment(models.Model):
    """A free-text comment; a random id and no time, rewritten in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "lectures.SessionPage",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluation_comments",
    )
    text = models.TextField(_("comment"), max_length=1000)

    class Meta:
        verbose_name = _("evaluation comment")
        verbose_name_plural = _("evaluation comments")

    def __str__(self):
        return self.text[:50]
