"""The question bank of a learning-effect test (学习效果测试), as StreamField blocks.

Each question is a stream child, so it carries a stable UUID that attempts and
their per-question statistics refer to; options inside a question are list
items with their own ids. Nothing here is ever rendered on a public page.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)

    class Meta:
        icon = "radio-full"


class _QuestionBase(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Question"))
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        help_text=_("Shown to trainees after the test window closes"),
    )
    points = blocks.IntegerBlock(
        label=_("Points"), default=1, min_value=1, max_value=100
    )


class ChoiceQuestionBlock(_QuestionBase):
    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2, max_num=8)

    #: How many options must be marked correct: exactly one, or at least one.
    single_answer = True

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        if self.single_answer and correct != 1:
            message = _("A single-choice question needs exactly one correct option.")
        elif not self.single_answer and correct < 1:
            message = _("Mark at least one option correct.")
        else:
            return value
        raise StructBlockValidationError(
            block_errors={"options": ValidationError(message)}
        )


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    single_answer = False

    class Meta:
        icon = "tasks"
        label = _("Multiple choice (all or nothing)")


class TrueFalseBlock(_QuestionBase):
    answer = blocks.ChoiceBlock(
        label=_("Answer"),
        choices=[("true", _("True")), ("false", _("False"))],
        default="true",
    )

    class Meta:
        icon = "tick"
        label = _("True / false")


class QuestionBankBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    true_false = TrueFalseBlock()


@dataclass(frozen=True)
class Option:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """One question as grading sees it: ids, options and the right ones."""

    id: str
    kind: str
    text: str
    options: tuple[Option, ...]
    correct: frozenset[str]
    explanation: str
    points: int

    def is_right(self, chosen: set[str]) -> bool:
        # Multiple choice is all or nothing: exactly the right set.
        return bool(chosen) and chosen == self.correct


TRUE_FALSE_OPTIONS = (("true", _("True")), ("false", _("False")))


def questions_of(stream) -> list[Question]:
    """The questions of a class's bank in their authored order."""
    questions = []
    for child in stream:
        value = child.value
        if child.block_type == QuestionKind.TRUE_FALSE:
            options = tuple(
                Option(key, str(label)) for key, label in TRUE_FALSE_OPTIONS
            )
            correct = frozenset([value["answer"]])
        else:
            items = value["options"].bound_blocks
            options = tuple(Option(item.id, item.value["text"]) for item in items)
            correct = frozenset(item.id for item in items if item.value["correct"])
        questions.append(
            Question(
                id=child.id,
                kind=child.block_type,
                text=value["text"],
                options=options,
                correct=correct,
                explanation=value.get("explanation") or "",
                points=value.get("points") or 1,
            )
        )
    return questions
