"""Public filters for the list of training classes at /classes/."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import ClassPage, ClassPhase, ClassType
from training_site.forms import DATE_INPUT, CalendarDateFilter

OPEN = "open"


class ClassFilter(django_filters.FilterSet):
    """`type`, `organiser`, `status`, `start`, `end`, `q`; invalid values are
    reported on the page and ignored."""

    type = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="class_type",
        choices=ClassType.choices,
        empty_label=_("All types"),
    )
    organiser = django_filters.CharFilter(
        label=_("Organiser"), lookup_expr="icontains", max_length=100
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Open for enrolment")), *ClassPhase.choices],
        method="filter_status",
        empty_label=_("Any status"),
    )
    start = CalendarDateFilter(
        label=_("From"), field_name="end_date", lookup_expr="gte", widget=DATE_INPUT
    )
    end = CalendarDateFilter(
        label=_("To"), field_name="start_date", lookup_expr="lte", widget=DATE_INPUT
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)

    class Meta:
        model = ClassPage
        fields = ["type", "organiser", "status", "start", "end", "q"]

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.open_for_enrolment()
        return queryset.in_phase(value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(organiser__icontains=value)
            | Q(venue__icontains=value)
        )
