"""Shared fixtures: a small network and one user for each role in it.

    home (migration 0002) → 区级大讲坛 `district`
        → 城关镇 `town` → 东风村 `village`, 红旗村 `village2`
        → 青山镇 `sibling` → 山前村 `sibling_village`

Pages are built the way Wagtail builds them (`parent.add_child`), so the
signals that provision each forum's administrators' and lecturers' groups run
exactly as in production.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import (
    TOWN,
    VILLAGE,
    DistrictFactory,
    LecturerFactory,
    TownFactory,
    UserFactory,
    VillageFactory,
    complete_tree,
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
    return TownFactory(parent=district, **TOWN)


@pytest.fixture
def village(town):
    return VillageFactory(parent=town, **VILLAGE)


@pytest.fixture
def tree(district, town, village):
    """The whole small network by name, with a second village and a sibling town."""
    return complete_tree(district, town, village)


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


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a test module, rolled back after its last test.

    Module-scoped fixtures that request this build read-mostly data once;
    each test still runs in its own savepoint inside it (pytest-django's
    `django_db`), so what a test writes is gone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def login(client):
    """`login(user)` → the test client, logged in as that user."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


# Property-based tests (hypothesis): no deadline (a request to a real
# database takes what it takes), no example database written into the tree;
# each test sets its own max_examples, kept small enough for `make test`.
hypothesis_settings.register_profile(
    "suite",
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
)
hypothesis_settings.load_profile("suite")
