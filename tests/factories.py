"""factory_boy factories for the lecture network.

Page factories take the parent page as `parent` and create through
`parent.add_child`, the way Wagtail builds its tree.
"""

import uuid
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import ClassPage
from lectures.models import (
    Category,
    DistrictForumPage,
    Field,
    Lecturer,
    SessionPage,
    SessionStatus,
    TraineeProfile,
    UnitForumPage,
    VillageForumPage,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def groups(self, create, groups, **kwargs):
        if groups:
            self.groups.add(*groups)
        self.save()


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"领域{n}")
    slug = factory.Sequence(lambda n: f"field-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"类别{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class LecturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lecturer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"讲师{n}")
    title = "党校教授"
    unit = "区委党校"

    @factory.post_generation
    def fields(self, create, fields, **kwargs):
        if fields:
            self.fields.set(fields)
            self.save()

    @factory.post_generation
    def forums(self, create, forums, **kwargs):
        # A parental m2m is committed by save(), whose signal syncs the groups.
        if forums:
            self.forums.set(forums)
            self.save()


class PageFactory(factory.django.DjangoModelFactory):
    """Builds a page below `parent` (a required keyword)."""

    class Meta:
        abstract = True

    # Live pages were published: the admin records when, and the feeds'
    # DTSTAMP reads it, so two renders of the same pages are the same bytes.
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.SelfAttribute("first_published_at")

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        return parent.add_child(instance=model_class(*args, **kwargs))


class DistrictFactory(PageFactory):
    class Meta:
        model = DistrictForumPage

    title = "区级大讲坛"
    slug = "district"
    unit_kind = "district"
    unit_name = "区委组织部"


class TownFactory(PageFactory):
    class Meta:
        model = UnitForumPage

    title = factory.Sequence(lambda n: f"镇{n}小讲坛")
    slug = factory.Sequence(lambda n: f"town-{n}")
    unit_kind = "town"
    unit_name = factory.Sequence(lambda n: f"镇{n}")


class VillageFactory(PageFactory):
    class Meta:
        model = VillageForumPage

    title = factory.Sequence(lambda n: f"村{n}微讲坛")
    slug = factory.Sequence(lambda n: f"village-{n}")
    unit_kind = "village"
    unit_name = factory.Sequence(lambda n: f"村{n}")


class SessionFactory(PageFactory):
    class Meta:
        model = SessionPage

    title = factory.Sequence(lambda n: f"专题讲座{n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    # Whole minutes, as the admin's date-time widget enters them.
    start = factory.LazyFunction(
        lambda: timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    )
    end = factory.LazyAttribute(lambda session: session.start + timedelta(hours=2))
    venue = "党群服务中心"
    status = SessionStatus.SCHEDULED


# The small network most tests stand on (see tests/conftest.py) --------------

TOWN = {"slug": "chengguan", "title": "城关镇小讲坛", "unit_name": "城关镇"}
VILLAGE = {"slug": "dongfeng", "title": "东风村微讲坛"}
VILLAGE2 = {"slug": "hongqi", "title": "红旗村微讲坛"}
SIBLING = {"slug": "qingshan", "title": "青山镇小讲坛"}
SIBLING_VILLAGE = {"slug": "shanqian"}


def complete_tree(district, town, village) -> dict:
    """Add the second village and the sibling town with its village."""
    sibling = TownFactory(parent=district, **SIBLING)
    return {
        "district": district,
        "town": town,
        "village": village,
        "village2": VillageFactory(parent=town, **VILLAGE2),
        "sibling": sibling,
        "sibling_village": VillageFactory(parent=sibling, **SIBLING_VILLAGE),
    }


def build_tree(home) -> dict:
    """The whole small network in one go, for module-scoped data."""
    district = DistrictFactory(parent=home)
    town = TownFactory(parent=district, **TOWN)
    return complete_tree(district, town, VillageFactory(parent=town, **VILLAGE))


def fresh(objects: dict) -> dict:
    """The same rows re-read from the database.

    Module-scoped objects are shared by the module's tests; a test that
    changes one in memory (or adds children to a page) must not leave the
    next test a stale copy.
    """
    return {
        name: type(obj)._default_manager.get(pk=obj.pk) for name, obj in objects.items()
    }


# Evaluations ------------------------------------------------------------------


def ended_session(parent, *, hours_ago: float = 1, **kwargs):
    """A session that ended `hours_ago` hours ago (two hours long)."""
    from lectures.models import SessionStatus

    end = timezone.now().replace(microsecond=0) - timedelta(hours=hours_ago)
    kwargs.setdefault("status", SessionStatus.HELD)
    return SessionFactory(
        parent=parent, start=end - timedelta(hours=2), end=end, **kwargs
    )


def attended(session, *users, status="present"):
    """Mark the users as having attended (present, or the status given)."""
    from lectures.models import Attendance, CheckInMethod

    for user in users:
        Attendance.objects.create(
            session=session,
            user=user,
            status=status,
            method=CheckInMethod.ROSTER,
            checked_in_at=session.start,
        )
    return users


def make_form(name: str, *weights: int, scale: int = 4, **kwargs):
    """An evaluation table with one indicator per weight (指标1, 指标2, …)."""
    from lectures.models import EvaluationForm, EvaluationIndicator

    form = EvaluationForm.objects.create(name=name, scale=scale, **kwargs)
    EvaluationIndicator.objects.bulk_create(
        EvaluationIndicator(form=form, name=f"指标{n + 1}", weight=w, sort_order=n)
        for n, w in enumerate(weights)
    )
    return form


def answer(form, *levels: int) -> dict[int, int]:
    """Ratings for a table's indicators, in their order."""
    indicators = list(form.indicators.order_by("sort_order"))
    pairs = zip(indicators, levels, strict=False)
    return {indicator.pk: level for indicator, level in pairs}


# Training classes (courses) --------------------------------------------------


class ClassFactory(PageFactory):
    """A training class; lessons are `SessionFactory(parent=the class)`."""

    class Meta:
        model = ClassPage

    title = factory.Sequence(lambda n: f"培训班{n}")
    slug = factory.Sequence(lambda n: f"class-{n}")
    class_type = "business"
    organiser = "区委组织部"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    end_date = factory.LazyAttribute(lambda page: page.start_date + timedelta(days=2))
    venue = "区委党校"


class TraineeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile

    user = factory.SubFactory(UserFactory)
    real_name = factory.Sequence(lambda n: f"学员{n}")
    unit_name = "城关镇政府"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


def question_id(n: int) -> str:
    return str(uuid.UUID(int=n + 1, version=4))


def choice_question(qid: str, kind: str, text: str, options, **extra) -> dict:
    """A choice question's stream data: options as (id, text, correct)."""
    return {
        "type": kind,
        "id": qid,
        "value": {
            "text": text,
            "explanation": extra.get("explanation", ""),
            "points": extra.get("points", 1),
            "options": [
                {"type": "item", "id": oid, "value": {"text": label, "correct": ok}}
                for oid, label, ok in options
            ],
        },
    }


def true_false_question(qid: str, text: str, answer: str, **extra) -> dict:
    return {
        "type": "true_false",
        "id": qid,
        "value": {
            "text": text,
            "explanation": extra.get("explanation", ""),
            "points": extra.get("points", 1),
            "answer": answer,
        },
    }
