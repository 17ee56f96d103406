"""The forum network as the Wagtail page tree.

Home → 区级大讲坛 (district) → 小讲坛 (towns, streets, district units)
→ 微讲坛 (villages, communities). Each tier is its own page type so that
`parent_page_types` / `subpage_types` make a wrong tier impossible; they share
one concrete table (`ForumPage`) so the network can be counted in one query.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, get_page_models
from wagtail.query import PageQuerySet
from wagtail.search import index

from lectures.models.evaluations import EvaluationFormHost
from lectures.models.hosts import SessionHost
from lectures.models.tree import below
from training_site.page_cache import PublicPageMixin
from training_site.page_context import ViewContextMixin


class ForumLevel(models.TextChoices):
    DISTRICT = "district", _("District forum")
    UNIT = "unit", _("Town / unit forum")
    VILLAGE = "village", _("Village / community forum")


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")
    STREET = "street", _("Street")
    DEPARTMENT = "department", _("District unit")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")


class ForumQuerySet(PageQuerySet):
    def in_subtree(self, page: Page) -> "ForumQuerySet":
        """This page and every forum below it."""
        return self.filter(below(page.path))

    def administered_by(self, user) -> "ForumQuerySet":
        """Forums whose administrators' group the user belongs to."""
        return self.filter(admin_group__user=user)


ForumManager = PageManager.from_queryset(ForumQuerySet)


class ForumPageForm(WagtailAdminPageForm):
    """Offers only the kinds of unit that belong to the page's tier."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = type(self.instance).allowed_unit_kinds
        field = self.fields.get("unit_kind")
        if field is not None:
            field.choices = [c for c in UnitKind.choices if c[0] in allowed]


class ForumPage(
    ViewContextMixin, PublicPageMixin, EvaluationFormHost, SessionHost, Page
):
    """Fields and behaviour common to every tier; not creatable itself."""

    level = models.CharField(
        _("level"), max_length=10, choices=ForumLevel.choices, editable=False
    )
    unit_kind = models.CharField(_("kind of unit"), max_length=12, choices=UnitKind)
    unit_name = models.CharField(
        _("unit"), max_length=100, help_text=_("e.g. 城关镇, 区教育局, 东风村")
    )
    introduction = RichTextField(_("introduction"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    admin_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("administrators' group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="administered_forum",
    )
    lecturer_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("lecturers' group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="lecturing_forum",
    )

    objects = ForumManager()

    is_creatable = False
    base_form_class = ForumPageForm
    allowed_unit_kinds: tuple[str, ...] = ()
    forum_level: str = ""

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("unit_kind"), FieldPanel("unit_name")]),
        FieldPanel("introduction"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("contact_name"), FieldPanel("contact_phone")]
                ),
                FieldPanel("address"),
                FieldPanel("founded_on"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("evaluation_form"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("unit_name"),
        index.SearchField("introduction"),
        index.FilterField("level"),
    ]
    api_fields = [
        APIField("level"),
        APIField("unit_kind"),
        APIField("unit_name"),
        APIField("founded_on"),
        APIField("introduction"),
    ]

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        indexes = [models.Index(fields=["level"])]

    @classmethod
    def clean_subpage_models(cls):
        """The tier's own children, plus page types of other apps that name
        this tier as their parent (a unit's own training class), so that this
        app never has to name them."""
        own = super().clean_subpage_models()
        guests = [
            model
            for model in get_page_models()
            if model not in own
            and getattr(model, "parent_page_types", None) is not None
            and cls in model.clean_parent_page_models()
        ]
        return own + guests

    def clean(self):
        super().clean()
        if self.unit_kind and self.unit_kind not in self.allowed_unit_kinds:
            raise ValidationError(
                {"unit_kind": _("This kind of unit does not belong to this tier.")}
            )
        # Forum slugs are the public handle (`?forum=`, `--forum`), so they
        # must be unique across the network, not only among siblings.
        clash = ForumPage.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError({"slug": _("Another forum already uses this slug.")})

    def save(self, *args, **kwargs):
        self.level = self.forum_level
        return super().save(*args, **kwargs)

    # Public views -------------------------------------------------------

    def serve_feed_ics(self, request):
        """`<forum URL>feed.ics`: this forum and everything below it."""
        from lectures.views.calendars import forum_feed

        return forum_feed(request, self)


class DistrictForumPage(ForumPage):
    """区级大讲坛: the root of the network; one per site."""

    forum_level = ForumLevel.DISTRICT
    allowed_unit_kinds = (UnitKind.DISTRICT,)
    parent_page_types = ["training_site.HomePage"]
    subpage_types = ["lectures.UnitForumPage", "lectures.SessionPage"]
    max_count = 1
    is_creatable = True
    template = "lectures/forum_page.html"

    class Meta:
        verbose_name = _("district forum")
        verbose_name_plural = _("district forums")


class UnitForumPage(ForumPage):
    """小讲坛: a town, a street or a district unit."""

    forum_level = ForumLevel.UNIT
    allowed_unit_kinds = (UnitKind.TOWN, UnitKind.STREET, UnitKind.DEPARTMENT)
    parent_page_types = ["lectures.DistrictForumPage"]
    subpage_types = ["lectures.VillageForumPage", "lectures.SessionPage"]
    is_creatable = True
    template = "lectures/forum_page.html"

    class Meta:
        verbose_name = _("town / unit forum")
        verbose_name_plural = _("town / unit forums")


class VillageForumPage(ForumPage):
    """微讲坛: a village or a community; its founding is approved by the town."""

    forum_level = ForumLevel.VILLAGE
    allowed_unit_kinds = (UnitKind.VILLAGE, UnitKind.COMMUNITY)
    parent_page_types = ["lectures.UnitForumPage"]
    subpage_types = ["lectures.SessionPage"]
    is_creatable = True
    template = "lectures/forum_page.html"

    class Meta:
        verbose_name = _("village / community forum")
        verbose_name_plural = _("village / community forums")
