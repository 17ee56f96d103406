"""Forms of the admin pages: they parse; the services decide."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lectures.models import ForumPage, Lecturer
from topics.filters import IdChoiceField
from topics.models import Topic

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = [
            "title",
            "slug",
            "summary",
            "field",
            "category",
            "audience",
            "tier",
            "duration_minutes",
            "study_hours",
            "offered_to",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered to the district or a 小讲坛 and everything below it.
        self.fields["offered_to"].queryset = (
            ForumPage.objects.live().exclude(level="village").order_by("path")
        )
        self.fields["offered_to"].empty_label = _("The whole network")


class OrderForm(forms.Form):
    forum = IdChoiceField(
        label=_("For the forum"), queryset=ForumPage.objects.none(), empty_label=None
    )
    preferred_from = forms.DateField(label=_("Preferred from"), widget=DATE)
    preferred_to = forms.DateField(label=_("Preferred until"), widget=DATE)
    audience_size = forms.IntegerField(
        label=_("Expected audience"), min_value=1, max_value=100000
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("preferred_from", today)
            self.initial.setdefault("preferred_to", today + timedelta(days=30))


class AcceptForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)


class ReasonForm(forms.Form):
    # Declining or cancelling needs one: the service says so, and keeps 500
    # characters of it.
    reason = forms.CharField(required=False)


class DispatchForm(forms.Form):
    # Whether he offers the topic and may be sent is the service's to say.
    lecturer = IdChoiceField(queryset=Lecturer.objects.all())


class NoteForm(forms.Form):
    # Returning a topic needs one, approving it not: the service says so.
    note = forms.CharField(required=False)
