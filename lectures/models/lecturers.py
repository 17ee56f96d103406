"""Lecturers (讲师): public profiles, optionally tied to a login."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from lectures.choosers import account_chooser_viewset


class Lecturer(index.Indexed, ClusterableModel):
    """A person who gives sessions. Only public, professional facts live here."""

    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(
        # A lecturer's post (职务/职称), not a page's title (标题).
        pgettext_lazy("lecturer", "title"),
        max_length=100,
        blank=True,
        help_text=_("Post or professional title"),
    )
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    biography = RichTextField(_("biography"), blank=True)
    fields = ParentalManyToManyField(
        "lectures.Field", verbose_name=_("fields"), blank=True, related_name="lecturers"
    )
    forums = ParentalManyToManyField(
        "lectures.ForumPage",
        verbose_name=_("forums"),
        blank=True,
        related_name="lecturers",
        help_text=_("Forums in which this lecturer may draft sessions"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lecturer",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("title"), FieldPanel("unit")],
            heading=_("Lecturer"),
        ),
        FieldPanel("photo"),
        FieldPanel("biography"),
        FieldPanel("fields"),
        FieldPanel("forums"),
        FieldPanel("user", widget=account_chooser_viewset.widget_class),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("unit"),
        index.FilterField("id"),
    ]
    api_fields = [APIField("name"), APIField("title"), APIField("unit")]

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("lectures:lecturer_detail", args=[self.pk])
