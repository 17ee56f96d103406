"""Wagtail's audit log entry, written without its save()'s lookups.

`BaseLogEntry.save()` runs `full_clean()`, which asks the database whether
the entry's content type and user exist: two queries per entry. Inside a
check-in's write transaction that is time every other check-in of a rush
waits for (SQLite has one writer). The caller holds both objects, and the
one rule `clean()` adds — the action is registered — is checked here.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, registry

from training_site.prepared import insert


def log_at_once(instance, action: str, user):
    """The entry `wagtail.log_actions.log(instance, action, user=user)` writes."""
    if not registry.action_exists(action):
        raise ValueError(f"Unregistered log action: {action}")
    model = registry.get_log_model_for_instance(instance)
    entry = model(
        content_type=ContentType.objects.get_for_model(
            instance, for_concrete_model=False
        ),
        object_id=str(instance.pk),
        label=model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data={},
        user=user,
        uuid=get_active_log_context().uuid,
    )
    return insert(entry)  # as bulk_create([entry]), by a statement built once
