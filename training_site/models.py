"""The site shell: the home page at the root of the tree."""

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
