"""Keep lesson registrations and the training index's grants in step."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from courses.models import TrainingIndexPage
from courses.services.groups import grant_index_to_district
from courses.services.lessons import lesson_added
from lectures.models import ForumLevel, ForumPage, SessionPage


@receiver(page_published, sender=SessionPage)
def lesson_published(sender, instance, **kwargs):
    """A lesson published (first or again): the enrolled are expected there."""
    if instance.is_lesson:
        lesson_added(instance)


@receiver(post_save)
def district_founded(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    if isinstance(instance, ForumPage) and instance.level == ForumLevel.DISTRICT:
        for index in TrainingIndexPage.objects.all():
            grant_index_to_district(index, instance)
    elif isinstance(instance, TrainingIndexPage):
        district = ForumPage.objects.filter(level=ForumLevel.DISTRICT).first()
        if district is not None:
            grant_index_to_district(instance, district)
