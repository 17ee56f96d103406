"""The menu (课程菜单): lecturers propose topics, their forums approve them.

A topic is proposed (or re-proposed after changes) by one of its lecturers
and approved or returned by the administrators of a forum that holds one of
its lecturers (`topics.rules.may_review_topic`). Only approved topics that
are currently offered are on the public menu and can be ordered.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from topics.models import Topic, TopicStatus
from topics.rules import lecturer_of, may_edit_topic, may_review_topic
from topics.services import notices
from topics.services.errors import TopicError
from training_site.page_cache import invalidate_public_pages

ACTIONS = {
    "topics.topic.proposed": gettext_lazy("Proposed a topic"),
    "topics.topic.approved": gettext_lazy("Approved a topic into the menu"),
    "topics.topic.returned": gettext_lazy("Returned a topic for changes"),
    "topics.topic.offered": gettext_lazy("Offered a topic again"),
    "topics.topic.withdrawn": gettext_lazy("Withdrew a topic from the menu"),
}


def _locked(topic_id: int) -> Topic:
    return Topic.objects.select_for_update().get(pk=topic_id)


def propose(topic: Topic, by) -> Topic:
    """Send a (new or changed) topic for approval. The proposer must be one
    of its lecturers or a reviewer; a new topic gets him as its lecturer."""
    lecturer = lecturer_of(by)
    with transaction.atomic():
        if topic.pk is None:
            if lecturer is None and not by.is_superuser:
                raise TopicError("not_a_lecturer", _("Only lecturers propose topics."))
            topic.proposed_by = by
            topic.status = TopicStatus.PROPOSED
            topic.save()
            if lecturer is not None:
                topic.lecturers.add(lecturer)
        else:
            if not may_edit_topic(by, topic):
                raise TopicError("not_yours", _("This is not your topic."))
            topic.status = TopicStatus.PROPOSED
            topic.save()
        log(instance=topic, action="topics.topic.proposed", user=by)
        transaction.on_commit(invalidate_public_pages)
        notices.topic_proposed(topic)
    return topic


def review(topic_id: int, by, *, approve: bool, note: str = "") -> Topic:
    """Approve a topic into the menu, or return it with a note."""
    with transaction.atomic():
        topic = _locked(topic_id)
        if not may_review_topic(by, topic):
            raise TopicError(
                "not_reviewer",
                _("Only the administrators of the lecturer's forum review his topics."),
            )
        if topic.status != TopicStatus.PROPOSED:
            raise TopicError("not_proposed", _("This topic is not waiting for review."))
        if not approve and not note.strip():
            raise TopicError("no_note", _("Say what should change."))
        topic.status = TopicStatus.APPROVED if approve else TopicStatus.RETURNED
        topic.reviewed_by = by
        topic.reviewed_at = timezone.now()
        topic.review_note = note.strip()[:500]
        topic.save()
        action = "approved" if approve else "returned"
        log(instance=topic, action=f"topics.topic.{action}", user=by)
        transaction.on_commit(invalidate_public_pages)
        notices.topic_reviewed(topic)
    return topic


def set_offered(topic_id: int, by, offered: bool) -> Topic:
    """Take a topic off the menu for now, or offer it again."""
    with transaction.atomic():
        topic = _locked(topic_id)
        if not may_edit_topic(by, topic):
            raise TopicError("not_yours", _("This is not your topic."))
        if topic.is_offered != offered:
            topic.is_offered = offered
            topic.save(update_fields=["is_offered"])
            action = "offered" if offered else "withdrawn"
            log(instance=topic, action=f"topics.topic.{action}", user=by)
            transaction.on_commit(invalidate_public_pages)
    return topic
