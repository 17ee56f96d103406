"""`<session URL>evaluate/`: a trainee who attended rates the session, anonymously."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lectures.models import EvaluationForm, ParticipationSettings, SessionPage
from lectures.services import evaluations as service

# Refusals about the answer itself: the form is shown again with the message.
ANSWER_CODES = {"missing", "out_of_range", "too_long"}


class AnswerForm(forms.Form):
    """One radio group per indicator, and the optional comment."""

    comment_max = service.COMMENT_MAX_LENGTH

    comment = forms.CharField(
        label=gettext_lazy("Comments and suggestions (optional)"),
        required=False,
        max_length=service.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, table: EvaluationForm, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.indicator_fields = []
        for indicator in table.indicators.all():
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=indicator.name,
                help_text=indicator.description,
                choices=table.levels(),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please rate this indicator.")},
            )
            self.indicator_fields.append((indicator.pk, name))
        if not table.allow_comments:
            del self.fields["comment"]
        else:
            comment = self.fields["comment"] = self.fields.pop("comment")  # last
            # No `maxlength`: the browser would cut a pasted text silently.
            # The page counts the characters (evaluate.js) and the form
            # refuses a longer comment with a message, keeping the text.
            comment.widget.attrs.pop("maxlength", None)
            comment.widget.attrs["data-max-chars"] = service.COMMENT_MAX_LENGTH

    def ratings(self) -> dict[int, int]:
        return {pk: self.cleaned_data[name] for pk, name in self.indicator_fields}


def _render(request, session, *, status=200, **context):
    return TemplateResponse(
        request,
        "lectures/evaluate.html",
        {"page": session, **context},
        status=status,
    )


def _refusal(request, session, error: service.EvaluationError):
    status = 409 if error.code == "already" else 403
    return _render(request, session, status=status, refusal=error.message)


def evaluate(request, session: SessionPage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    days = ParticipationSettings.for_request(request).evaluation_window_days
    try:
        service.check_may_evaluate(session, request.user, now=timezone.now(), days=days)
    except service.EvaluationError as error:
        return _refusal(request, session, error)
    table = service.form_in_force(session)
    if table is None or not table.indicators.all():
        error = service.EvaluationError(
            "no_form", _("No evaluation form has been set up for this session.")
        )
        return _refusal(request, session, error)

    if request.method != "POST":
        return _render(request, session, form=AnswerForm(table), table=table)
    answer = AnswerForm(table, request.POST)
    if not answer.is_valid():
        return _render(request, session, status=400, form=answer, table=table)
    try:
        service.submit(
            session,
            request.user,
            answer.ratings(),
            answer.cleaned_data.get("comment", ""),
            days=days,
        )
    except service.EvaluationError as error:
        if error.code not in ANSWER_CODES:
            return _refusal(request, session, error)
        answer.add_error(None, error.message)
        return _render(request, session, status=400, form=answer, table=table)
    messages.success(request, _("Thank you: your evaluation has been recorded."))
    return redirect("lectures:me")
