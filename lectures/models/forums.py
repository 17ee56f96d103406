"""The forum network as the Wagtail page tree.

Home → 区级大讲坛 (district) → 小讲坛 (towns, streets, district units)
→ 微讲坛 (villages, communities). Each tier is its own page type so that
`parent_page_types` / `subpage_types` make a wrong tier impossible; they share
one concrete table (`ForumPage`) so the network can be counted in one query.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, get_page_models
from wagtail.query import PageQuerySet
from wagtail.search import index

from lectures.models.evaluations import EvaluationFormHost
from lectures.models.hosts import SessionHost
from lectures.models.panels import ForumPeoplePanel
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

    # The founding application (申请): who applies, who will run the forum,
    # and its first half-year's plan. Filled in when the forum is proposed;
    # on approval the named person becomes its administrator.
    founder_name = models.CharField(
        _("person who will run it"), max_length=50, blank=True
    )
    founder_mobile = models.CharField(
        _("his or her mobile phone"),
        max_length=20,
        blank=True,
        help_text=_("An account is created with this mobile if none has it"),
    )
    application_venue = models.CharField(_("venue"), max_length=200, blank=True)
    application_plan = models.TextField(_("plan for the first half-year"), blank=True)
    # The approval, recorded by the approval itself: never edited in a form,
    # and kept from the live row when a later revision is published.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(
        _("approved at"), null=True, blank=True, editable=False
    )
    approval_note = models.CharField(
        _("approval number or note (批复)"),
        max_length=500,
        blank=True,
        editable=False,
    )

    objects = ForumManager()

    is_creatable = False
    base_form_class = ForumPageForm
    allowed_unit_kinds: tuple[str, ...] = ()
    forum_level: str = ""

    content_panels = [
        *Page.content_panels,
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
    application_panels = [
        HelpPanel(
            content=_(
                "The founding application: filled in when a new forum is "
                "proposed, read by the forum above when it approves."
            )
        ),
        FieldRowPanel([FieldPanel("founder_name"), FieldPanel("founder_mobile")]),
        FieldPanel("application_venue"),
        FieldPanel("application_plan"),
        InlinePanel(
            "application_documents",
            heading=_("Attachments"),
            label=_("Attachment"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Forum")),
            ObjectList(application_panels, heading=_("Founding application")),
            ObjectList([ForumPeoplePanel()], heading=_("People")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    search_fields = [
        *Page.search_fields,
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

    # What a revision never carries: the groups (made once, when the forum is
    # created) and the approval (written by the approval after publishing).
    KEPT_FROM_LIVE_ROW = (
        "admin_group_id",
        "lecturer_group_id",
        "approved_by_id",
        "approved_at",
        "approval_note",
    )

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in self.KEPT_FROM_LIVE_ROW:
            setattr(page, name, getattr(self, name))
        if page.founded_on is None:
            page.founded_on = self.founded_on
        return page

    # Public views -------------------------------------------------------

    def serve_feed_ics(self, request):
        """`<forum URL>feed.ics`: this forum and everything below it."""
        from lectures.views.calendars import forum_feed

        return forum_feed(request, self)


class ForumApplicationDocument(Orderable):
    """An attachment of a founding application (e.g. the 村两委's opinion)."""

    page = ParentalKey(
        ForumPage, on_delete=models.CASCADE, related_name="application_documents"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")


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
