"""The public menu shows topics, their lecturers and the sessions held from
them: a change to a topic forgets the cached public pages."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from topics.models import Topic
from training_site.page_cache import invalidate_public_pages


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(m2m_changed, sender=Topic.lecturers.through)
def topic_changed(sender, **kwargs):
    invalidate_public_pages()
