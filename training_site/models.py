"""The site shell: the home page at the root of the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from training_site.page_cache import GENERATION_KEY, SCOPE_KEY, PublicPageMixin
from training_site.page_context import ViewContextMixin
from training_site.routing import OneQueryRoutingMixin


class HomePage(ViewContextMixin, OneQueryRoutingMixin, PublicPageMixin, Page):
    """The network at a glance; parent of the district forum."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lectures.DistrictForumPage", "courses.TrainingIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class PersonalVersion(models.Model):
    """How many times the rows one person's own pages show have changed.

    Kept by the database: each app's migration puts triggers on the tables
    holding a person's rows (his registrations, attendance, enrolments,
    notices, …) that add one to his row here in the same transaction, and
    on things every person's page shows to the row of `EVERYONE` (0).
    `personal_pages.py` keeps a rendered copy of his page under these
    numbers, so a change committed is seen on his next request.
    """

    EVERYONE = 0

    user_id = models.BigIntegerField(_("user"), primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("personal page version")
        verbose_name_plural = _("personal page versions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.version}"


class PendingInvalidation(models.Model):
    """A change the page cache could not be told of: its cache did not
    answer when the change committed. Kept until the new generations are
    written (`training_site/invalidations.py`), shown to administrators."""

    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    #: The page cache's keys to give new generations: the global one
    #: (every public page) or the scopes of a session's URL and its prefixes.
    keys = models.JSONField(_("cache keys"))
    #: Of the sorted keys: a change failing again with the same keys (a
    #: publish sends several signals) counts as one more attempt of its row.
    digest = models.CharField(_("digest"), max_length=32, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_attempt_at = models.DateTimeField(_("last attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("cache invalidation")
        verbose_name_plural = _("cache invalidations")
        indexes = [
            models.Index(fields=["applied_at", "id"], name="invalidation_pending_idx")
        ]

    def __str__(self) -> str:
        return self.what()

    def what(self) -> str:
        """What the invalidation forgets, for people."""
        if GENERATION_KEY in self.keys:
            return str(_("Every public page"))
        paths = [key.removeprefix(SCOPE_KEY) for key in self.keys]
        # The deepest paths (the session's URL) say it; their prefixes follow.
        deepest = sorted(
            path
            for path in paths
            if not any(other != path and other.startswith(path) for other in paths)
        )
        return str(_("Pages showing %(paths)s")) % {"paths": ", ".join(deepest)}
