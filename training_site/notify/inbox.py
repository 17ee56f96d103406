"""The inbox: one person's notices, read and unread."""

from django.core.paginator import Paginator
from django.utils import timezone

from training_site.notify.models import Notice, NotificationPreference

PAGE_SIZE = 20


def unread_count(user) -> int:
    return Notice.objects.for_user(user).unread().count()


def page(user, number) -> tuple:
    """A page of his notices, newest first, and the unread count."""
    notices = Notice.objects.for_user(user).only(
        "pk", "subject", "body", "link", "created_at", "read_at", "urgent"
    )
    paginator = Paginator(notices, PAGE_SIZE, allow_empty_first_page=True)
    return paginator.get_page(number), unread_count(user)


def latest(user, limit: int = 5) -> list[Notice]:
    return list(
        Notice.objects.for_user(user).only(
            "pk", "subject", "link", "created_at", "read_at", "urgent"
        )[:limit]
    )


def mark_read(user, notice_id: int) -> Notice | None:
    """Mark one of his own notices read (someone else's is never found)."""
    notice = Notice.objects.for_user(user).filter(pk=notice_id).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at=None).update(read_at=notice.read_at)
    return notice


def mark_all_read(user) -> int:
    return Notice.objects.for_user(user).unread().update(read_at=timezone.now())


def preference(user) -> NotificationPreference:
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def set_preference(user, *, sms: bool, email: bool) -> NotificationPreference:
    chosen, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"sms": sms, "email": email}
    )
    return chosen
