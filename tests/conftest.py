"""Shared fixtures: a small network (district → two towns → villages) and its people."""

import pytest

from tests.factories import (
    DistrictFactory,
    LecturerFactory,
    TownFactory,
    UserFactory,
    VillageFactory,
)
from training_site.models import HomePage


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def tree(home):
    """district → town (village, village2) and a sibling town (its village)."""
    district = DistrictFactory(parent=home)
    town = TownFactory(
        parent=district, slug="chengguan", title="城关镇小讲坛", unit_name="城关镇"
    )
    sibling = TownFactory(parent=district, slug="qingshan", title="青山镇小讲坛")
    return {
        "district": district,
        "town": town,
        "village": VillageFactory(parent=town, slug="dongfeng", title="东风村微讲坛"),
        "village2": VillageFactory(parent=town, slug="hongqi", title="红旗村微讲坛"),
        "sibling": sibling,
        "sibling_village": VillageFactory(parent=sibling, slug="shanqian"),
    }


@pytest.fixture
def people(tree):
    """One user per role; the lecturer is attached to the town."""
    lecturer_user = UserFactory(username="lecturer")
    lecturer = LecturerFactory(user=lecturer_user)
    lecturer.forums.set([tree["town"]])
    lecturer.save()
    return {
        "district_admin": UserFactory(
            username="district_admin", groups=[tree["district"].admin_group]
        ),
        "town_admin": UserFactory(
            username="town_admin", groups=[tree["town"].admin_group]
        ),
        "village_admin": UserFactory(
            username="village_admin", groups=[tree["village"].admin_group]
        ),
        "lecturer": lecturer_user,
        "trainee": UserFactory(username="trainee"),
    }
