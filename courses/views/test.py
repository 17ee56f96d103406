"""`<class page URL>test/`: the learning-effect test on a phone.

GET shows the test's rules and the trainee's results, or his attempt under
way; POST `test/start/` begins an attempt, POST `test/submit/` hands it in. The page's
script saves answers as they are chosen (`test/save/`), so an attempt that
runs out of time is graded as it stood at the limit.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Attempt
from courses.services import assessment as service
from training_site.actions import post_by_member, run_action

PREFIX = "q-"


def posted_answers(data) -> dict[str, list[str]]:
    """Each question's chosen options; a question the page showed (`asked`)
    with nothing ticked is posted as no answer, so unticking is kept too."""
    answers = {question_id: [] for question_id in data.getlist("asked") if question_id}
    answers.update(
        {
            key[len(PREFIX) :]: [value for value in data.getlist(key) if value]
            for key in data
            if key.startswith(PREFIX)
        }
    )
    return answers


def _questions_in_order(class_page, attempt: Attempt) -> list[dict]:
    bank = {q.id: q for q in class_page.question_list}
    shown = []
    for number, item in enumerate(attempt.layout, start=1):
        question = bank.get(item["q"])
        if question is None:
            continue
        options = {option.id: option for option in question.options}
        chosen = set(attempt.answers.get(question.id, []))
        shown.append(
            {
                "number": number,
                "question": question,
                "field": PREFIX + question.id,
                "multiple": question.kind == "multiple",
                "options": [
                    {"option": options[o], "checked": o in chosen}
                    for o in item["o"]
                    if o in options
                ],
            }
        )
    return shown


def test_page(request, class_page):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not request.user.is_authenticated:
        return redirect_to_login(class_page.get_url(request) + "test/")
    now = timezone.now()
    service.close_expired(class_page, user=request.user, now=now)
    attempt = (
        Attempt.objects.open().filter(class_page=class_page, user=request.user).first()
    )
    attempts = list(
        Attempt.objects.submitted()
        .filter(class_page=class_page, user=request.user)
        .order_by("number")
    )
    window_closed = class_page.test_window_closed(now)
    review = None
    if attempts and window_closed:
        review = _review(class_page, attempts[-1])
    return TemplateResponse(
        request,
        "courses/test.html",
        {
            "page": class_page,
            "attempt": attempt,
            "questions": _questions_in_order(class_page, attempt) if attempt else [],
            "attempts": attempts,
            "attempts_left": max(class_page.max_attempts - len(attempts), 0),
            "test_open": class_page.test_open(now),
            "window_closed": window_closed,
            "review": review,
            "test_url": class_page.get_url(request) + "test/",
            "save_url": class_page.get_url(request) + "test/save/",
        },
    )


def _review(class_page, attempt: Attempt) -> list[dict]:
    """After the window closes: each question, his answer, the right one, why."""
    graded = {a.question_id: a for a in attempt.graded_answers.all()}
    rows = []
    for question in class_page.question_list:
        answer = graded.get(question.id)
        chosen = set(answer.chosen) if answer else set()
        rows.append(
            {
                "question": question,
                "correct": bool(answer and answer.correct),
                "options": [
                    {
                        "text": option.text,
                        "chosen": option.id in chosen,
                        "right": option.id in question.correct,
                    }
                    for option in question.options
                ],
            }
        )
    return rows


class SubmitForm(forms.Form):
    """The attempt handed in; the answers are read as the autosave reads them."""

    attempt = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        data["answers"] = posted_answers(self.data)
        return data


def _back(request, class_page):
    return redirect(class_page.get_url(request) + "test/")


@post_by_member
def start(request, class_page):
    run_action(
        request,
        forms.Form,
        lambda data: service.start_attempt(class_page, request.user),
        refusals=(service.AssessmentError,),
    )
    return _back(request, class_page)


@post_by_member
def submit(request, class_page):
    def hand_in(data):
        attempt = service.submit(
            class_page, request.user, data["attempt"], data["answers"]
        )
        messages.success(
            request,
            _("Submitted. Your score: %(score)s%% (%(verdict)s).")
            % {
                "score": attempt.score,
                "verdict": _("passed") if attempt.passed else _("not passed"),
            },
        )

    run_action(request, SubmitForm, hand_in, refusals=(service.AssessmentError,))
    return _back(request, class_page)


def save_answers(request, class_page):
    """The page's autosave: JSON in reply, refusals as 400 with the message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in again.")}, status=403)
    try:
        attempt = service.save_answers(
            class_page,
            request.user,
            request.POST.get("attempt"),
            posted_answers(request.POST),
        )
    except service.AssessmentError as error:
        return JsonResponse({"error": error.message, "code": error.code}, status=400)
    return JsonResponse(
        {"saved": len(attempt.answers), "deadline": attempt.deadline.isoformat()}
    )
