"""Keep derived permission state in step with the tree and the lecturers."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import post_page_move

from lectures import notifications
from lectures.events import keep_events_after_commit
from lectures.models import (
    Category,
    Field,
    ForumPage,
    Lecturer,
    SessionEvent,
    SessionPage,
)
from lectures.models.numbering import assign_number, nearest_forum
from lectures.services import session_notices
from lectures.services.groups import provision_forum_groups, sync_lecturer_groups
from training_site.page_cache import invalidate_public_pages


@receiver(post_save)
def forum_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw and isinstance(instance, ForumPage):
        provision_forum_groups(instance)


@receiver(post_save, sender=Lecturer)
def lecturer_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_lecturer_groups(instance)


@receiver(m2m_changed, sender=Lecturer.forums.through)
def lecturer_forums_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(
        instance, Lecturer
    ):
        sync_lecturer_groups(instance)


@receiver(post_save, sender=Lecturer)
@receiver(post_delete, sender=Lecturer)
@receiver(post_save, sender=Field)
@receiver(post_delete, sender=Field)
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def shown_on_public_pages(sender, **kwargs):
    """Sessions, schedules and lecturer pages show these by name."""
    invalidate_public_pages()


@receiver(post_page_move)
def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    """A moved session (or a moved forum's sessions) follow their new forum."""
    moved = SessionPage.objects.in_subtree(instance)
    for session in moved.only("pk", "path", "forum", "number"):
        forum = nearest_forum(session.path)
        if forum is not None and forum.pk != session.forum_id:
            session.forum = forum
            assign_number(session)
            SessionPage.objects.filter(pk=session.pk).update(
                forum=forum, number=session.number
            )


@receiver(post_save, sender=SessionPage)
def session_event_changed(sender, instance, raw=False, **kwargs):
    """Its calendar event is built again from what the save committed (a
    draft saved on a live page leaves the live row as it was)."""
    if not raw:
        SessionEvent.objects.filter(session=instance.pk).delete()
        keep_events_after_commit([instance.pk])


@receiver(post_save, sender=Lecturer)
@receiver(pre_delete, sender=Lecturer)
def lecturer_events_changed(sender, instance, raw=False, **kwargs):
    """Events name their lecturers: his sessions' events are built again
    when a feed next needs them (there may be hundreds)."""
    if not raw and instance.pk:
        SessionEvent.objects.filter(session__lecturers=instance).delete()


@receiver(post_save, sender=Field)
@receiver(pre_delete, sender=Field)
def field_events_changed(sender, instance, raw=False, **kwargs):
    """Events carry their field's name (thousands of sessions at 100×)."""
    if not raw and instance.pk:
        SessionEvent.objects.filter(session__field=instance).delete()


@receiver(post_save, sender=SessionPage)
def session_saved(sender, instance, raw=False, **kwargs):
    """Registrants hear of a published cancellation, postponement, or new
    time or venue (the model notes what changed as it raises its sequence)."""
    changed = getattr(instance, "calendar_changes", None)
    if changed and not raw and instance.live:
        instance.calendar_changes = None
        session_notices.tell_registrants(instance, changed)


notifications.connect()
