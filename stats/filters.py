"""Filters of the 统计 pages (WagtailFilterSet): period, subtree, field,
category, tier. They only read and check the input; the report services
apply it, so the page, its spreadsheets and `lecture_stats` select alike."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from lectures.filters import ForumFilter
from lectures.models import (
    Category,
    Field,
    ForumLevel,
    Rank,
    SessionPage,
    TraineeProfile,
)
from lectures.rules import administered_paths
from training_site.forms import DATE_INPUT, CalendarDateFilter


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period's start is after its end."))
        return data


def _keep(queryset, name, value):
    return queryset


class ScopedFilterSet(WagtailFilterSet):
    """Offers only the viewer's own subtrees in the forum picker."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        forum = self.form.fields.get("forum")
        if forum is not None and request is not None:
            widget = forum.widget
            widget.paths = (
                None if request.user.is_superuser else administered_paths(request.user)
            )


def field_filter(label) -> django_filters.ModelChoiceFilter:
    """A session field (领域) chosen by its slug, any by default."""
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Field.objects.all(),
        to_field_name="slug",
        empty_label=_("All fields"),
        method=_keep,
    )


def category_filter(label) -> django_filters.ModelChoiceFilter:
    """A session category (类别) chosen by its slug, any by default."""
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
        method=_keep,
    )


class NetworkFilterSet(ScopedFilterSet):
    start = CalendarDateFilter(label=_("From"), method=_keep, widget=DATE_INPUT)
    end = CalendarDateFilter(label=_("To"), method=_keep, widget=DATE_INPUT)
    forum = ForumFilter(label=_("Forum (and everything below it)"), method=_keep)
    level = django_filters.ChoiceFilter(
        label=_("Tier"),
        choices=ForumLevel.choices,
        empty_label=_("All levels"),
        method=_keep,
    )
    field = field_filter(_("Field"))
    category = category_filter(_("Category"))

    class Meta:
        model = SessionPage
        fields = ["start", "end", "forum", "level", "field", "category"]
        form = PeriodForm


class TraineeFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(
        label=_("Calendar year"),
        method=_keep,
        min_value=1900,
        max_value=2100,
    )
    forum = ForumFilter(label=_("Forum (and everything below it)"), method=_keep)
    short = django_filters.BooleanFilter(
        label=_("Only those short of the quota"),
        method=_keep,
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = TraineeProfile
        fields = ["year", "forum", "short"]


class CoverageFilterSet(ScopedFilterSet):
    """全覆盖: a year, a subtree, ranks and a theme (a field or a category:
    only its sessions count as attended)."""

    year = django_filters.NumberFilter(
        label=_("Calendar year"), method=_keep, min_value=1900, max_value=2100
    )
    forum = ForumFilter(label=_("Forum (and everything below it)"), method=_keep)
    rank = django_filters.ModelMultipleChoiceFilter(
        label=_("Rank"),
        queryset=Rank.objects.all(),
        method=_keep,
        widget=forms.CheckboxSelectMultiple,
    )
    no_rank = django_filters.BooleanFilter(
        label=_("Cadres without a rank"), method=_keep, widget=forms.CheckboxInput
    )
    field = field_filter(_("Theme: field"))
    category = category_filter(_("Theme: category"))

    class Meta:
        model = TraineeProfile
        fields = ["year", "forum", "rank", "no_rank", "field", "category"]


class CoverageNamesFilterSet(CoverageFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Who"),
        choices=[
            ("behind", _("Behind the pro-rata quota")),
            ("nothing", _("Attended nothing")),
            ("met", _("Met the pro-rata quota")),
        ],
        empty_label=_("Every cadre"),
        method=_keep,
    )

    class Meta(CoverageFilterSet.Meta):
        fields = [*CoverageFilterSet.Meta.fields, "status"]
