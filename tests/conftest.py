"""Shared fixtures: a small network and one user for each role in it.

    home (migration 0002) → 区级大讲坛 `district`
        → 城关镇 `town` → 东风村 `village`, 红旗村 `village2`
        → 青山镇 `sibling` → 山前村 `sibling_village`

Pages are built the way Wagtail builds them (`parent.add_child`), so the
signals that provision each forum's administrators' and lecturers' groups run
exactly as in production.
"""

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import template_db
from tests.shared_tree import (  # noqa: F401 - hooks and a fixture for pytest to find
    SharedTree,
    _shared_tree,
    pytest_collection_modifyitems,
    pytest_fixture_setup,
    pytest_runtest_teardown,
    pytest_xdist_make_scheduler,
    shared_or_built,
)

# The test database: a copy of a migrated template (tests/template_db.py).


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, django_db_blocker
):
    if not template_db.ENABLED:
        yield
        return
    with django_db_blocker.unblock():
        template_db.copy_into_test_database()
    yield
    with django_db_blocker.unblock():
        template_db.drop_test_database()


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """Keep (use) the copy: it is dropped above."""
    return template_db.ENABLED or request.config.getvalue("reuse_db")


# Each of these is built once for a run of tests that ask for the same ones
# (tests/shared_tree.py says how and when not); a test gets its own copy.


@pytest.fixture
def home(db, request):
    """The home page created by training_site's migration 0002."""
    return shared_or_built(request, "home")


@pytest.fixture
def district(home, request):
    return shared_or_built(request, "district", home)


@pytest.fixture
def town(district, request):
    return shared_or_built(request, "town", district)


@pytest.fixture
def village(town, request):
    return shared_or_built(request, "village", town)


@pytest.fixture
def tree(district, town, village, request):
    """The whole small network by name, with a second village and a sibling town."""
    return shared_or_built(request, "tree", district, town, village)


# One user per role ---------------------------------------------------------


@pytest.fixture
def district_admin(district, request):
    return shared_or_built(request, "district_admin", district)


@pytest.fixture
def town_admin(town, request):
    return shared_or_built(request, "town_admin", town)


@pytest.fixture
def village_admin(village, request):
    return shared_or_built(request, "village_admin", village)


@pytest.fixture
def lecturer(town, request):
    """A lecturer's login: his `Lecturer` profile (`.lecturer`) is on the town.

    He is given no group by hand: the signals put him in the town's
    lecturers' group because the profile names the town.
    """
    return shared_or_built(request, "lecturer", town)


@pytest.fixture
def trainee(db, request):
    return shared_or_built(request, "trainee")


@pytest.fixture
def people(tree, district_admin, town_admin, village_admin, lecturer, trainee, request):
    """Every role by name, for tests that go through all of them."""
    return shared_or_built(
        request,
        "people",
        tree,
        district_admin,
        town_admin,
        village_admin,
        lecturer,
        trainee,
    )


@pytest.fixture
def demo(db, request):
    """The demo network of `load_demo` (scale 1); its summary."""
    return shared_or_built(request, "demo")


@pytest.fixture
def report_data(tree, request):
    """Sessions across two years in every forum of the tree, with rosters
    (tests/stats/report_data.py): {"tree": …, "sessions": […]}."""
    return shared_or_built(request, "report_data", tree)


@pytest.fixture
def demo_reset(demo, request):
    """The demo network, then `reset_demo()`: what a reset leaves behind."""
    return shared_or_built(request, "demo_reset", demo)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a test module, rolled back after its last test.

    Module-scoped fixtures that request this build read-mostly data once;
    each test still runs in its own savepoint inside it (pytest-django's
    `django_db`), so what a test writes is gone before the next one.
    """
    if SharedTree.current:  # its tests never share the tree: this is outermost
        SharedTree.current.close()
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


@pytest.fixture
def page_cache_on():
    """The page cache on (60 s), empty before and after the test."""
    caches["pages"].clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    caches["pages"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change and what waits for its commit (the page cache's
    generations are replaced then), as a real commit would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run
