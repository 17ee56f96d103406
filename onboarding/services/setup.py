"""An empty installation's first step: the district, its taxonomy, its first
administrator — nothing else (`setup_network`, and the admin's first-run page)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lectures.demo import data
from lectures.models import (
    Category,
    DistrictForumPage,
    EvaluationForm,
    Field,
    UnitKind,
)
from lectures.services.errors import ServiceError
from training_site.models import HomePage

#: The taxonomy a district starts with (the same words as the demo's), each
#: editable afterwards in the admin.
DEFAULT_FIELDS = data.FIELDS
DEFAULT_CATEGORIES = data.CATEGORIES


class SetupError(ServiceError):
    pass


@dataclass(frozen=True)
class Setup:
    district: DistrictForumPage
    administrator: object


def default_taxonomy() -> None:
    """The default fields and categories, where missing (by slug)."""
    for model, pairs in ((Field, DEFAULT_FIELDS), (Category, DEFAULT_CATEGORIES)):
        for order, (slug, name) in enumerate(pairs):
            if not model.objects.filter(Q(slug=slug) | Q(name=name)).exists():
                model.objects.create(name=name, slug=slug, sort_order=order)


@transaction.atomic
def setup_network(
    *,
    district_name: str,
    department_name: str,
    username: str,
    password: str,
    real_name: str = "",
    email: str = "",
) -> Setup:
    """Create the district 大讲坛 under the home page, the default taxonomy and
    the first administrator (in the district's administrators' group).

    Refused once a district forum exists: a second district is impossible,
    and this must never touch a network that is running."""
    if DistrictForumPage.objects.exists():
        raise SetupError(
            "exists", _("This installation already has its district forum.")
        )
    district_name, department_name = district_name.strip(), department_name.strip()
    if not district_name or not department_name:
        raise SetupError("missing", _("Give the district's and the department's name."))
    User = get_user_model()
    if not username.strip() or User.objects.filter(username=username).exists():
        raise SetupError("username", _("Choose a user name that no account has yet."))
    user = User(username=username.strip(), email=email.strip())
    if real_name:
        user.last_name = real_name.strip()
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise SetupError("password", " ".join(error.messages)) from error
    user.set_password(password)
    user.is_staff = True
    user.save()
    home = HomePage.objects.first()
    if home is None:
        raise SetupError("home", _("The home page is missing: run migrate first."))
    now = timezone.now()
    district = home.add_child(
        instance=DistrictForumPage(
            title=district_name,
            slug=slugify(district_name, allow_unicode=True) or "district",
            unit_kind=UnitKind.DISTRICT,
            unit_name=department_name,
            founded_on=timezone.localdate(now),
            first_published_at=now,
            last_published_at=now,
        )
    )
    district.refresh_from_db()
    user.groups.add(district.admin_group)
    default_taxonomy()
    if not EvaluationForm.objects.filter(is_default=True).exists():
        raise SetupError(
            "evaluation", _("The default evaluation table is missing: run migrate.")
        )
    return Setup(district=district, administrator=user)
