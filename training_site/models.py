"""The site shell: the home page at the root of the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from training_site.page_cache import PublicPageMixin
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
