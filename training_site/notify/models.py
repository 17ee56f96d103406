"""Notices (the in-app messages), their deliveries per channel, preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        # By id: the header asks on every logged-in page, and a lookup by
        # the (lazy) user object costs a fifth more to build.
        return self.filter(recipient_id=user.pk)

    def unread(self):
        return self.filter(read_at=None)


class Notice(models.Model):
    """One message to one person, as he reads it in his inbox.

    Subject and body are rendered when the notice is made, in his language,
    so the inbox shows what was true then and costs no rendering.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    # The values the texts were made from: an SMS template's parameters.
    context = models.JSONField(default=dict, blank=True)
    # The same notice is not made twice for the same reason (a reminder, an
    # evaluation waiting): "" when repeats are allowed.
    once_key = models.CharField(max_length=100, blank=True, default="")
    urgent = models.BooleanField(_("urgent"), default=False)
    # The `notify()` call that made it: its deliveries are written from its
    # notices by one INSERT … SELECT, and handed to the worker as one task.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), db_index=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox: a person's newest first; the unread count.
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notify_inbox"
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at=None),
                name="notify_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "once_key"],
                condition=~Q(once_key=""),
                name="notify_once_per_recipient",
            )
        ]

    def __str__(self):
        return self.subject


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Pending, due, and held by no worker (or by one whose lease ran out)."""
        return self.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).filter(Q(claimed_until=None) | Q(claimed_until__lt=now))


class Delivery(models.Model):
    """A notice sent, or to be sent, through one channel: every attempt counts.

    A worker claims a delivery by a conditional UPDATE (`claim`, with a lease
    in `claimed_until`); only the holder of the claim records the result, and
    a claim left by a worker that died runs out and is taken again.
    """

    notice = models.ForeignKey(
        Notice,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    # The channel's own text when it differs from the notice's (SMS).
    text = models.TextField(blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("gateway answer"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notify_pending_queue",
            ),
            models.Index(fields=["claim"], name="notify_claim"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "channel"], name="notify_one_delivery_per_channel"
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"


class NotificationPreference(models.Model):
    """Which channels a person wants besides the inbox, which is always on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    sms = models.BooleanField(_("text messages (SMS)"), default=True)
    email = models.BooleanField(_("email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)
