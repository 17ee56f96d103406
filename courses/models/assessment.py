"""Attempts at a class's learning-effect test (学习效果测试) and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lectures.models.participation import TraineeFacts


class AttemptQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def open(self):
        return self.filter(submitted_at__isnull=True)


class Attempt(TraineeFacts, models.Model):
    """One sitting of the test by one trainee.

    `layout` is the order the trainee saw (questions and, per question, the
    options), shuffled when the attempt began; `answers` is what he had chosen
    as last saved before the deadline. Grading reads only these two.
    """

    class_page = models.ForeignKey(
        "courses.ClassPage",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="test_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    layout = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)
    max_points = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["class_page", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["class_page", "user", "number"], name="attempt_numbers_unique"
            ),
            models.UniqueConstraint(
                fields=["class_page", "user"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_attempt_per_trainee",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.class_page_id} · #{self.number}"


class AttemptAnswer(models.Model):
    """Whether one question of a graded attempt was answered right."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="graded_answers"
    )
    question_id = models.CharField(_("question"), max_length=36)
    chosen = models.JSONField(default=list)
    correct = models.BooleanField(_("correct"))

    class Meta:
        verbose_name = _("graded answer")
        verbose_name_plural = _("graded answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="one_answer_per_question"
            ),
        ]
        indexes = [models.Index(fields=["question_id", "correct"])]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id} · {self.correct}"
