"""Public filters for the schedule and its iCalendar feed."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lectures.models import (
    Category,
    Field,
    ForumLevel,
    ForumPage,
    Lecturer,
    SessionPage,
    SessionStatus,
    tree,
)
from training_site.dates import day_after, day_start
from training_site.forms import DATE_INPUT, CalendarDateFilter
from training_site.page_cache import depends_on, page_path, storing

# Above this many district and town forums the picker becomes a text box:
# a select of thousands of options helps nobody and weighs down the page.
MAX_FORUM_OPTIONS = 300


class ForumSelect(forms.Select):
    """The forums to pick from, every tier (villages indented under their
    towns), plus the one selected.

    `paths`, when set, keeps the forums below those tree paths (the admin's
    reports offer only the viewer's own subtrees)."""

    paths: list[str] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        forums = ForumPage.objects.live()
        if self.paths is not None:
            forums = forums.filter(tree.below_any(self.paths))
        forums = list(
            forums.order_by("path").values_list("slug", "title", "depth")[
                : MAX_FORUM_OPTIONS + 1
            ]
        )
        if len(forums) > MAX_FORUM_OPTIONS:
            text = forms.TextInput(
                attrs={**self.attrs, "placeholder": _("Forum name or slug")}
            )
            return text.render(name, value, attrs, renderer)
        top = min((depth for _slug, _title, depth in forums), default=0)
        choices = [("", _("All forums"))]
        choices += [
            (slug, "\u3000" * (depth - top) + title) for slug, title, depth in forums
        ]
        if value and value not in {slug for slug, _t, _d in forums}:
            title = ForumPage.objects.filter(slug=value).values_list("title", flat=True)
            choices.append((value, title.first() or value))
        self.choices = choices
        return super().render(name, value, attrs, renderer)


class ForumChoiceField(forms.CharField):
    """A forum by its slug, or by its exact name (what a person types in the
    text box of a large network); unknown ones are a clear error, not a 500."""

    widget = ForumSelect

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        # Before the database sees it: PostgreSQL refuses a NUL character.
        self.run_validators(value)
        forums = ForumPage.objects.live()
        forum = forums.filter(slug=value).first()
        if forum is None:
            named = list(forums.filter(title=value.strip())[:2])
            if len(named) > 1:
                raise forms.ValidationError(
                    _("Several forums are called “%(name)s”: give its slug."),
                    params={"name": value[:60]},
                )
            forum = named[0] if named else None
        if forum is None:
            raise forms.ValidationError(
                _("There is no forum “%(slug)s”."), params={"slug": value[:60]}
            )
        return forum

    def prepare_value(self, value):
        return value.slug if isinstance(value, ForumPage) else value


class ForumFilter(django_filters.Filter):
    field_class = ForumChoiceField


class ScheduleForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            # At the field, which drops it: the start still applies.
            self.add_error("end", _("The end date is before the start date."))
        return data


class ScheduleFilter(django_filters.FilterSet):
    """`level`, `forum` (with everything below it), `field`, `category`,
    `start`, `end`, `q`. Invalid values are reported on the page and ignored."""

    level = django_filters.ChoiceFilter(
        label=_("Level"),
        choices=ForumLevel.choices,
        field_name="forum__level",
        empty_label=_("All levels"),
    )
    forum = ForumFilter(label=_("Forum"), method="filter_forum")
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        queryset=Field.objects.all(),
        to_field_name="slug",
        empty_label=_("All fields"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    start = CalendarDateFilter(
        label=_("From"), method="filter_start", widget=DATE_INPUT
    )
    end = CalendarDateFilter(label=_("To"), method="filter_end", widget=DATE_INPUT)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SessionStatus.choices, empty_label=_("Any status")
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)

    class Meta:
        model = SessionPage
        fields = ["level", "forum", "field", "category", "start", "end", "status", "q"]
        form = ScheduleForm

    def filter_forum(self, queryset, name, value):
        return queryset.in_subtree(value)

    def filter_start(self, queryset, name, value):
        return queryset.filter(start__gte=day_start(value))

    def filter_end(self, queryset, name, value):
        return queryset.filter(start__lt=day_after(value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        by_lecturer = Lecturer.objects.filter(
            sessions=OuterRef("pk"), name__icontains=value
        )
        return queryset.filter(
            Q(title__icontains=value) | Q(venue__icontains=value) | Exists(by_lecturer)
        )

    @property
    def selected_forum(self):
        """The valid forum asked for, or None."""
        self.form.is_valid()
        return self.form.cleaned_data.get("forum")

    def keep_cached_with(self, request) -> None:
        """A selection of one forum shows only sessions below it: the page
        cache keeps it until that forum's scope changes, not every session's
        (without one it shows the whole network: the root scope)."""
        forum = self.selected_forum
        if forum is not None and storing(request):
            depends_on(request, page_path(forum, request))

    @property
    def has_dates(self) -> bool:
        """Whether a valid date was given (other filters may still be invalid)."""
        self.form.is_valid()
        data = self.form.cleaned_data
        return bool(data.get("start") or data.get("end"))
