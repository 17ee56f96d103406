"""Shared fixtures: a small network and one user for each role in it.

    home (migration 0002) → 区级大讲坛 `district`
        → 城关镇 `town` → 东风村 `village`, 红旗村 `village2`
        → 青山镇 `sibling` → 山前村 `sibling_village`

Pages are built the way Wagtail builds them (`parent.add_child`), so the
signals that provision each forum's administrators' and lecturers' groups run
exactly as in production.
"""

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
    """The home page created by training_site's migration 0002."""
    return HomePage.objects.get()


@pytest.fixture
def district(home):
    return DistrictFactory(parent=home)


@pytest.fixture
def town(district):
    return TownFactory(
        parent=district, slug="chengguan", title="城关镇小讲坛", unit_name="城关镇"
    )


@pytest.fixture
def village(town):
    return VillageFactory(parent=town, slug="dongfeng", title="东风村微讲坛")


@pytest.fixture
def tree(district, town, village):
    """The whole small network by name, with a second village and a sibling town."""
    sibling = TownFactory(parent=district, slug="qingshan", title="青山镇小讲坛")
    return {
        "district": district,
        "town": town,
        "village": village,
        "village2": VillageFactory(parent=town, slug="hongqi", title="红旗村微讲坛"),
        "sibling": sibling,
        "sibling_village": VillageFactory(parent=sibling, slug="shanqian"),
    }


# One user per role ---------------------------------------------------------


@pytest.fixture
def district_admin(district):
    return UserFactory(username="district_admin", groups=[district.admin_group])


@pytest.fixture
def town_admin(town):
    return UserFactory(username="town_admin", groups=[town.admin_group])


@pytest.fixture
def village_admin(village):
    return UserFactory(username="village_admin", groups=[village.admin_group])


@pytest.fixture
def lecturer(town):
    """A lecturer's login: his `Lecturer` profile (`.lecturer`) is on the town.

    He is given no group by hand: the signals put him in the town's
    lecturers' group because the profile names the town.
    """
    user = UserFactory(username="lecturer")
    LecturerFactory(user=user, forums=[town])
    return user


@pytest.fixture
def trainee(db):
    return UserFactory(username="trainee")


@pytest.fixture
def people(tree, district_admin, town_admin, village_admin, lecturer, trainee):
    """Every role by name, for tests that go through all of them."""
    return {
        "district_admin": district_admin,
        "town_admin": town_admin,
        "village_admin": village_admin,
        "lecturer": lecturer,
        "trainee": trainee,
    }


@pytest.fixture
def login(client):
    """`login(user)` → the test client, logged in as that user."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user
