"""The small network of tests/conftest.py, built once for a run of tests.

Most tests stand on some of the shared fixtures (the forum tree, one user
per role). Building them costs a tenth of a second a test: pages through
`add_child`, and the signals that provision each forum's groups. So the
tests that ask for the same set of them are run one after the other, and
the set is built once, inside a transaction held around that run. Each test
still runs in its own transaction inside it (pytest-django's `db`), rolled
back after it, so every test starts from exactly the rows the fixtures
would have written for it and leaves nothing behind.

The test gets deep copies of the objects that were built (as Django's
`setUpTestData` hands them out): a test that changes one in memory does not
pass the change on to the next.

Left as they were, with the fixtures built for each test:
- transactional tests (`transaction=True`, `live_server`): they commit,
  other threads or processes read what they wrote, and they flush;
- tests that use module-scoped data (`module_db`), whose transaction must
  be the outer one;
- tests whose module overrides one of the shared fixtures.

The order of tests is otherwise pytest-django's (plain database tests,
then transactional ones, then the rest); within the plain ones, the tests
sharing a set are moved next to the first of them.

The demo network (`load_demo`) is shared the same way: the tests of the
demo in lectures, courses, topics, onboarding and the admin's language
stand on one build of it. A set that is the set before it and more (the
demo, then the demo reset) is built on it, in the same transaction, when
its tests come right after, and they are placed right after them.

Under pytest-xdist each worker builds a set once for the run of its tests
it is sent (they are next to each other in the order it is given). The
sets of the demo, which take seconds to build, go to one worker whole
(`GroupScheduling` below): the demo is built once in a run; so do the
tests of a module with module-scoped data (`module_db`).

`SHARED_TREE=0` builds every fixture for every test, as before: to tell
whether a failure has to do with sharing (the demo then takes minutes).
"""

import copy
import json
import os
from pathlib import Path

import pytest
from django.db import transaction
from xdist.scheduler import LoadScopeScheduling

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


def _lecturer(town):
    user = UserFactory(username="lecturer")
    LecturerFactory(user=user, forums=[town])
    return user


def _people(tree, district_admin, town_admin, village_admin, lecturer, trainee):
    return {
        "district_admin": district_admin,
        "town_admin": town_admin,
        "village_admin": village_admin,
        "lecturer": lecturer,
        "trainee": trainee,
    }


def _demo():
    from lectures.demo.builder import DemoBuilder

    return DemoBuilder(scale=1).build()


def _demo_reset(demo):
    from lectures.demo.builder import reset_demo

    reset_demo()
    return demo


def _report_data(tree):
    from tests.stats.report_data import generate

    return {"tree": tree, "sessions": generate(tree)}


def _home():
    from training_site.models import HomePage

    return HomePage.objects.get()


# What each shared fixture needs and how it is built, in an order that builds
# what each needs first. The fixtures in tests/conftest.py build the same way
# when they are not shared.
BUILDERS = {
    "home": ((), _home),
    "district": (("home",), lambda home: DistrictFactory(parent=home)),
    "town": (("district",), lambda district: TownFactory(parent=district, **TOWN)),
    "village": (("town",), lambda town: VillageFactory(parent=town, **VILLAGE)),
    "tree": (("district", "town", "village"), complete_tree),
    "district_admin": (
        ("district",),
        lambda district: UserFactory(
            username="district_admin", groups=[district.admin_group]
        ),
    ),
    "town_admin": (
        ("town",),
        lambda town: UserFactory(username="town_admin", groups=[town.admin_group]),
    ),
    "village_admin": (
        ("village",),
        lambda village: UserFactory(
            username="village_admin", groups=[village.admin_group]
        ),
    ),
    "lecturer": (("town",), _lecturer),
    "trainee": ((), lambda: UserFactory(username="trainee")),
    # The demo network of `load_demo` (its summary): seconds to build.
    "demo": ((), _demo),
    # The demo built and then reset (`load_demo --reset`'s first half): what
    # the reset leaves behind.
    "demo_reset": (("demo",), _demo_reset),
    "people": (
        (
            "tree",
            "district_admin",
            "town_admin",
            "village_admin",
            "lecturer",
            "trainee",
        ),
        _people,
    ),
    # Sessions across two years in every forum of the tree, with rosters
    # (tests/stats/report_data.py): the reports' tests stand on them.
    "report_data": (("tree",), _report_data),
}
# Not worth a transaction of their own.
CHEAP = {"home", "trainee"}
# Sets with one of these are sent to one xdist worker whole, with the sets
# built on them; the others are spread over the workers test by test.
COSTLY = {"demo"}
VAR = Path(__file__).resolve().parents[1] / "var"

KEY = pytest.StashKey[tuple | None]()


def build(name: str, *needs):
    return BUILDERS[name][1](*needs)


def _is_transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    from pytest_django.fixtures import validate_django_db

    transactional, reset_sequences, *_ = validate_django_db(marker)
    return bool(transactional or reset_sequences)


def key_of(item) -> tuple | None:
    """The shared fixtures an item stands on, or None to build them itself."""
    if os.environ.get("SHARED_TREE", "1") == "0":
        return None
    names = set(getattr(item, "fixturenames", ()))
    key = tuple(name for name in BUILDERS if name in names)
    if not set(key) - CHEAP or "module_db" in names or _is_transactional(item):
        return None
    definitions = item._fixtureinfo.name2fixturedefs
    for name in key:
        if definitions[name][-1].func.__module__ != "tests.conftest":
            return None  # the module has its own
    return key


class SharedTree:
    """The set being shared now, in its transaction, and this test's copies."""

    current: "SharedTree | None" = None

    def __init__(self, blocker):
        self.blocker = blocker
        self.key = None
        self.atomic = None
        self.built = {}
        self.copies_for = None
        self.copies = {}
        SharedTree.current = self

    def enter(self, item):
        """Before a test's own transaction: hold its set, or none."""
        key = item.stash.get(KEY, None)
        if key == self.key:
            return
        if extends(key, self.key):
            self._build(key)  # on what the set before it built
            return
        self.close()
        if key:
            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
            self.built = {}
            self._build(key)

    def _build(self, key):
        """Build what of `key` is not built yet, in the set's transaction."""
        self.key, built = key, self.built
        self.copies_for, self.copies = None, {}
        with self.blocker.unblock():
            try:
                for name in key:
                    if name not in built:
                        needs, builder = BUILDERS[name]
                        built[name] = builder(*(built[need] for need in needs))
            except BaseException:
                self.close()  # the test errors; the next one starts afresh
                raise

    def close(self):
        if self.atomic is None:
            return
        atomic, self.atomic, self.key, self.built = self.atomic, None, None, {}
        self.copies_for, self.copies = None, {}
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def get(self, request, name):
        """This test's copy of `name`, or None when its set is not shared."""
        item = request.node
        if self.atomic is None or item.stash.get(KEY, None) != self.key:
            return None
        if self.copies_for is not item:
            # One copy of the whole set, so `tree["town"] is town` still holds.
            self.copies = copy.deepcopy(self.built)
            self.copies_for = item
        # One asked for by name during the test (`request.getfixturevalue`) is
        # not in the set: it is built on this test's copies, as before.
        return self.copies.get(name)


def extends(key: tuple | None, current: tuple | None) -> bool:
    """Whether the set `key` is the set being shared and more: its tests
    run after that set's, on what it built (the demo, then reset)."""
    return bool(key and current) and set(current) < set(key)


def shared_or_built(request, name: str, *needs):
    """The fixture `name`: this test's copy of the shared one, or built now."""
    shared = SharedTree.current
    found = shared.get(request, name) if shared else None
    return found if found is not None else build(name, *needs)


# Hooks and a fixture, imported by tests/conftest.py ---------------------------


@pytest.fixture(scope="session")
def _shared_tree(django_db_setup, django_db_blocker):
    shared = SharedTree(django_db_blocker)
    yield shared
    shared.close()  # before the test database goes
    SharedTree.current = None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Move the tests that share a set next to the first of them."""
    _order(items)
    if hasattr(config, "workerinput"):  # an xdist worker: tell the scheduler
        GroupScheduling.write_groups(items)


def _order(items):
    groups: dict[tuple, list] = {}
    for item in items:
        key = item.stash[KEY] = key_of(item)
        if key:
            groups.setdefault(key, []).append(item)
    ordered = []
    for item in items:
        key = item.stash[KEY]
        if not key:
            ordered.append(item)
        elif key in groups:
            ordered.extend(groups.pop(key))
            # and the sets built on this one, right after it
            for more in [more for more in groups if extends(more, key)]:
                ordered.extend(groups.pop(more))
    items[:] = ordered


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django's per-test transaction (or flush) is opened by this
    # fixture: the shared set's transaction must be there before it.
    if fixturedef.argname == "_django_db_helper":
        request.getfixturevalue("_shared_tree").enter(request.node)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # After the test's own transaction and its module's fixtures are gone,
    # and before the next test's module fixtures come.
    shared = SharedTree.current
    following = nextitem.stash.get(KEY, None) if nextitem else None
    if shared and following != shared.key and not extends(following, shared.key):
        shared.close()
    return result


# The scheduler, in the xdist controller -------------------------------------


def _groups_file(controller_pid: int) -> Path:
    return VAR / f"xdist-groups-{controller_pid}.json"


class GroupScheduling(LoadScopeScheduling):
    """xdist's `load`, but the tests of a costly set go to one worker.

    xdist sends tests one by one to whichever worker is free (`load`), so a
    set's tests are split between the workers and each builds it; its
    `loadgroup` would keep a group together, but it renames the tests' node
    ids, which pytest 9 no longer reads. Here every test is a unit of work
    of its own (as with `load`), but the tests of all the sets with a
    costly fixture (COSTLY) are one unit, in their order, and so are the
    tests of a module that builds its data once (`module_db`); the biggest
    units are sent first (as xdist's `loadscope` does). The controller
    collects no tests: the workers, which do, write which tests are in such
    units to a file named after the controller's process before they report
    their collection (without it, every test is a unit: `load` as it was).
    """

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.units = None

    @staticmethod
    def write_groups(items):
        units = {}
        for item in items:
            key = item.stash[KEY]
            if key and COSTLY & set(key):
                units[item.nodeid] = "costly sets"
            elif "module_db" in getattr(item, "fixturenames", ()):
                # Its module's data is built once, on the worker it goes to.
                units[item.nodeid] = item.nodeid.split("::")[0]
        # Both workers write the same; each through a file of its own.
        VAR.mkdir(exist_ok=True)
        path = _groups_file(os.getppid())
        partial = path.with_suffix(f".{os.getpid()}")
        partial.write_text(json.dumps(units))
        os.replace(partial, path)

    def _split_scope(self, nodeid: str) -> str:
        if self.units is None:
            path = _groups_file(os.getpid())
            self.units = json.loads(path.read_text()) if path.exists() else {}
            path.unlink(missing_ok=True)
        return self.units.get(nodeid, nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "load":
        return GroupScheduling(config, log)
    return None
