"""Participation is never hard-deleted by normal use.

Registrations, attendance (and whatever else refers to a session or a
trainee with a protecting foreign key) hold their session and their user:
the database refuses to delete either while records point at them. The
admin asks first, so people get a sentence instead of an error page; a
session is cancelled or unpublished, an account deactivated.
"""

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from wagtail.models import Page


def records_in_the_way(objects) -> int:
    """How many protected records deleting these objects would have to delete."""
    objects = list(objects)
    if not objects:
        return 0
    collector = Collector(using=router.db_for_write(type(objects[0])))
    try:
        collector.collect(objects)
    except (ProtectedError, RestrictedError) as error:
        found = getattr(error, "protected_objects", None) or error.restricted_objects
        return len(found)
    return 0


def pages_with_descendants(pages) -> list[Page]:
    """A page's deletion takes its subtree with it: all of it is checked."""
    found = []
    for page in pages:
        found += list(Page.objects.descendant_of(page, inclusive=True))
    return found
