"""Fields (领域) and categories (类别): the classifications of sessions.

Kept as editable records, not hard-coded choices, because each district
words its own list; slugs are what the public filters and the API use.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Classification(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, allow_unicode=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Field(Classification):
    """领域: the subject area of a session (理论, 经济, 法治, 乡村振兴…)."""

    class Meta(Classification.Meta):
        verbose_name = _("field")
        verbose_name_plural = _("fields")


class Category(Classification):
    """类别: the kind of session (专题讲座, 宣讲, 业务培训…)."""

    class Meta(Classification.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
