"""Public filters for the menu of topics (`/topics/`): the schedule's
field, category and tier, a lecturer, and a search."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lectures.models import Category, Field, ForumLevel, Lecturer
from topics.models import Topic


class IdChoiceField(forms.ModelChoiceField):
    """A row by its id; an id no database column can hold is an invalid
    choice, not a 500 (SQLite raises OverflowError on it)."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number is None or not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class TopicFilter(django_filters.FilterSet):
    """`field`, `category`, `tier` (`level` as on the schedule), `lecturer`
    (its id), `q`. Invalid values are reported on the page and ignored."""

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
    level = django_filters.ChoiceFilter(
        label=_("Tier"),
        choices=ForumLevel.choices,
        method="filter_level",
        empty_label=_("All tiers"),
    )
    lecturer = IdChoiceFilter(
        label=_("Lecturer"),
        queryset=Lecturer.objects.filter(
            pk__in=Topic.objects.on_menu().values("lecturers")
        ),
        method="filter_lecturer",
        empty_label=_("All lecturers"),
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)

    class Meta:
        model = Topic
        fields = ["field", "category", "level", "lecturer", "q"]

    def filter_level(self, queryset, name, value):
        # A topic for no tier in particular suits every tier.
        return queryset.filter(Q(tier=value) | Q(tier=""))

    def filter_lecturer(self, queryset, name, value):
        return queryset.filter(lecturers=value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        by_lecturer = Lecturer.objects.filter(
            topics=OuterRef("pk"), name__icontains=value
        )
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Exists(by_lecturer)
        )
