"""factory_boy factories and helpers for lectures on demand."""

from datetime import timedelta

import factory
from django.utils import timezone

from topics.models import Topic, TopicStatus
from topics.services import orders


class TopicFactory(factory.django.DjangoModelFactory):
    """An approved topic on the menu; `lecturers=[…]` names who offers it."""

    class Meta:
        model = Topic
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"选题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    summary = "结合基层实际的专题讲授。"
    status = TopicStatus.APPROVED
    study_hours = 2
    duration_minutes = 120

    @factory.post_generation
    def lecturers(self, create, lecturers, **kwargs):
        if lecturers:
            self.lecturers.set(lecturers)


def place(topic, forum, by, **kwargs):
    """An order through the service, for the coming month."""
    today = timezone.localdate()
    kwargs.setdefault("preferred_from", today + timedelta(days=7))
    kwargs.setdefault("preferred_to", today + timedelta(days=37))
    kwargs.setdefault("audience_size", 40)
    return orders.place(topic, forum, by, **kwargs)


def next_week(hour: int = 14):
    """A whole-minute time a week ahead."""
    return (timezone.now() + timedelta(days=7)).replace(
        hour=hour, minute=30, second=0, microsecond=0
    )
