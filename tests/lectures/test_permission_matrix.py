"""The permission matrix: every role × every action × every forum, over HTTP.

Each action is a function that tries one thing through the site as a browser
would (an admin view, a workflow action, a public URL) and says whether it
went through; `EXPECTED` says, for each action and role, where it must. One
test per (action, role) walks every forum of the network and compares the
whole row, so every cell is asserted and a failure prints the row.

The network (see tests/factories.py), with each role's place in it:

    区级大讲坛 district            ← district_admin
      ├ 教育局小讲坛 unit          ← unit_admin
      ├ 城关镇小讲坛 town          ← town_admin, lecturer
      │   ├ 东风村微讲坛 village   ← village_admin
      │   └ 红旗村微讲坛 village2
      └ 青山镇小讲坛 sibling
          └ 山前村微讲坛 sibling_village

Every forum holds a draft session nobody submitted, a session submitted for
approval, and a live session with one registered and checked-in trainee;
its people: an account of its unit, a second administrator and a lecturer
without a login (the people pages act on these);
every forum that can have forums below it (the district and the 小讲坛) has a
founding proposed below it and a training class with its organisers' pages.

Every forum also offers a topic (点单) by a lecturer attached to it — the
town's is `lecturer` — with an order of its own waiting to be dispatched and
one dispatched to that lecturer.

To add a capability, write its action below, register it in `FORUM_ACTIONS`
or `SITE_ACTIONS`, and give its row in `EXPECTED`.
"""

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from courses.models import Enrolment
from lectures.models import Attendance, Lecturer, Rank, SessionPage, TraineeProfile
from lectures.services.registration import register
from lectures.services.trainee_page import calendar_token
from tests.factories import (
    ClassFactory,
    LecturerFactory,
    SessionFactory,
    TownFactory,
    UserFactory,
    VillageFactory,
    build_tree,
    fresh,
)
from tests.topics.factories import TopicFactory, next_week
from tests.wagtail_admin import (
    edit_url,
    refused,
    session_form,
    workflow_action_url,
)
from topics.models import OrderStatus, TopicOrder
from training_site.models import HomePage

pytestmark = pytest.mark.django_db

FORUMS = (
    "district",
    "unit",
    "town",
    "village",
    "village2",
    "sibling",
    "sibling_village",
)
ROLES = (
    "anonymous",
    "trainee",
    "lecturer",
    "village_admin",
    "town_admin",
    "unit_admin",
    "district_admin",
)
HOME_FORUM = {
    "lecturer": "town",
    "village_admin": "village",
    "town_admin": "town",
    "unit_admin": "unit",
    "district_admin": "district",
}
# Forums a new forum may be proposed below, and training classes held in
# (villages have neither).
PARENTS = ("district", "unit", "town", "sibling")


# The network, built once for the module -------------------------------------


def _propose(parent, owner, title, slug, factory):
    page = factory(parent=parent, title=title, slug=slug, live=False, owner=owner)
    page.save_revision(user=owner)
    page.get_workflow().start(page, owner)
    return page


@pytest.fixture(scope="module")
def world(module_db):
    tree = build_tree(HomePage.objects.get())
    tree["unit"] = TownFactory(
        parent=tree["district"],
        slug="jiaoyu",
        title="教育局小讲坛",
        unit_kind="department",
        unit_name="区教育局",
    )
    users = {
        "trainee": UserFactory(username="trainee"),
        "lecturer": UserFactory(username="lecturer"),
        "proposer": UserFactory(username="proposer"),
        **{
            f"{forum}_admin": UserFactory(
                username=f"{forum}_admin", groups=[tree[forum].admin_group]
            )
            for forum in ("village", "town", "unit", "district")
        },
    }
    lecturer = LecturerFactory(user=users["lecturer"], forums=[tree["town"]])
    # Someone else's: whose registration the roles must not read.
    other = UserFactory(username="other")
    TraineeProfile.objects.create(
        user=other, real_name="另一学员", mobile="13900000000", unit_name="某单位"
    )
    objects = {}
    for name in FORUMS:
        forum = tree[name]
        live = SessionFactory(
            parent=forum,
            title=f"{name}-公开讲座",
            lecturers=[lecturer] if name == "town" else [],
        )
        registrant = UserFactory(username=f"registrant-{name}")
        TraineeProfile.objects.create(
            user=registrant,
            real_name=f"报名人{name}",
            mobile=f"1380000{FORUMS.index(name):04d}",
        )
        register(live, registrant)
        register(live, other)
        Attendance.objects.create(
            session=live, user=registrant, status="present", method="roster"
        )
        submitted = _propose(
            forum,
            users["proposer"],
            f"{name}-待审讲座",
            f"{name}-pending",
            SessionFactory,
        )
        account = UserFactory(username=f"account-{name}")
        TraineeProfile.objects.create(
            user=account,
            real_name=f"账号{name}",
            mobile=f"1370000{FORUMS.index(name):04d}",
            unit_forum=forum,
        )
        member = UserFactory(username=f"member-{name}", groups=[forum.admin_group])
        TraineeProfile.objects.create(
            user=member,
            real_name=f"管理员{name}",
            mobile=f"1360000{FORUMS.index(name):04d}",
            unit_forum=forum,
        )
        objects[name] = {
            "live": live,
            "draft": SessionFactory(parent=forum, title=f"{name}-草稿", live=False),
            "submitted": submitted,
            "account": account,
            "member": member,
            "lecturer": LecturerFactory(name=f"讲师{name}", forums=[forum]),
        }
        if name in PARENTS:
            factory = TownFactory if name == "district" else VillageFactory
            objects[name]["founding"] = _propose(
                forum, users["proposer"], f"{name}下新讲坛", f"{name}-new", factory
            )
            objects[name]["class"] = ClassFactory(
                parent=forum, title=f"{name}培训班", slug=f"{name}-class"
            )
        objects[name].update(_orders(forum, name, lecturer))
    return {"tree": tree, "users": users, "objects": objects, "other": other}


def _orders(forum, name, town_lecturer) -> dict:
    """The forum's topic, an order waiting for dispatch and one dispatched."""
    offering = (
        town_lecturer
        if name == "town"
        else LecturerFactory(forums=[forum], user=UserFactory(username=f"讲师{name}"))
    )
    topic = TopicFactory(lecturers=[offering], slug=f"{name}-topic")
    today = timezone.localdate()
    common = {
        "topic": topic,
        "forum": forum,
        "preferred_from": today,
        "preferred_to": today,
        "audience_size": 30,
        "ordered_at": timezone.now(),
    }
    return {
        "topic": topic,
        "offering": offering,
        "ordered": TopicOrder.objects.create(**common),
        "dispatched": TopicOrder.objects.create(
            **common, status=OrderStatus.DISPATCHED, lecturer=offering
        ),
    }


def as_role(role: str, world) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def reloaded(page) -> Page:
    return Page.objects.get(pk=page.pk).specific


# How a response answers "did it go through?" --------------------------------


def let_through(response) -> bool:
    """True for a page served; False for a refusal of any kind; never a crash."""
    if response.status_code == 200:
        return True
    if response.status_code in (403, 404, 405) or refused(response):
        return False
    if response.status_code == 302:
        target = response["Location"]
        assert target.startswith((reverse("wagtailadmin_login"), reverse("login"))), (
            target
        )
        return False
    raise AssertionError(f"unexpected {response.status_code}")


def no_crash(response) -> None:
    assert response.status_code < 500, response.status_code


# Actions on something in a forum: f(client, forum name, world) -> went through


def view_draft(client, forum, world):
    draft = world["objects"][forum]["draft"]
    url = reverse("wagtailadmin_pages:view_draft", args=[draft.pk])
    return let_through(client.get(url))


def public_draft(client, forum, world):
    return let_through(client.get(world["objects"][forum]["draft"].url))


def edit_forum(client, forum, world):
    return let_through(client.get(edit_url(world["tree"][forum])))


def draft_session(client, forum, world):
    parent = world["tree"][forum]
    title = f"新草稿-{forum}"
    url = reverse("wagtailadmin_pages:add", args=["lectures", "sessionpage", parent.pk])
    no_crash(client.post(url, session_form(title, action="action-save", slug=title)))
    return SessionPage.objects.filter(title=title).exists()


def publish_session(client, forum, world):
    draft = world["objects"][forum]["draft"]
    form = session_form(draft.title, action="action-publish", slug=draft.slug)
    no_crash(client.post(edit_url(draft), form))
    return reloaded(draft).live


def _approve(client, page) -> bool:
    state = reloaded(page).current_workflow_task_state
    no_crash(client.post(workflow_action_url(page, "approve", state), {"comment": ""}))
    return reloaded(page).live


def approve_session(client, forum, world):
    return _approve(client, world["objects"][forum]["submitted"])


def approve_founding(client, forum, world):
    return _approve(client, world["objects"][forum]["founding"])


def _roster_url(forum, world) -> str:
    return reverse("lectures_roster", args=[world["objects"][forum]["live"].pk])


def open_roster(client, forum, world):
    return let_through(client.get(_roster_url(forum, world)))


def _roster_post(client, forum, world, action: str) -> bool:
    url = reverse(
        f"lectures_roster_{action}", args=[world["objects"][forum]["live"].pk]
    )
    data = {"user": world["other"].pk, "status": "late"}
    no_crash(client.post(url, data))
    session = world["objects"][forum]["live"]
    return Attendance.objects.filter(session=session, user=world["other"]).exists()


def mark_attendance(client, forum, world):
    return _roster_post(client, forum, world, "mark")


def add_walk_in(client, forum, world):
    return _roster_post(client, forum, world, "walk_in")


def checkin_screen(client, forum, world):
    session = world["objects"][forum]["live"]
    return let_through(client.get(session.url + "checkin/screen/"))


def _exported_names(client, list_url: str) -> set[str] | None:
    response = client.get(list_url, {"export": "csv"})
    if response.status_code != 200:
        assert not let_through(response)
        return None
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {cell for row in csv.reader(io.StringIO(text)) for cell in row}


def export_registrations(client, forum, world):
    names = _exported_names(client, "/admin/registrations/")
    return names is not None and f"报名人{forum}" in names


def export_attendance(client, forum, world):
    names = _exported_names(client, "/admin/attendance/")
    return names is not None and f"报名人{forum}" in names


def _class_admin(client, forum, world, tab: str, **params) -> bool:
    class_page = world["objects"][forum]["class"]
    url = reverse("courses_manage", args=[class_page.pk, tab])
    return let_through(client.get(url, params))


def manage_class(client, forum, world):
    return _class_admin(client, forum, world, "enrolment")


def export_class_completion(client, forum, world):
    return _class_admin(client, forum, world, "completion", export="csv")


def enrol_in_class(client, forum, world):
    class_page = world["objects"][forum]["class"]
    no_crash(client.post(class_page.url + "enrol/"))
    return Enrolment.objects.filter(class_page=class_page).exists()


def read_evaluations(client, forum, world):
    session = world["objects"][forum]["live"]
    url = reverse("lectures_evaluation_session", args=[session.pk])
    return let_through(client.get(url))


def _report(client, forum, world, url_name: str) -> bool:
    params = {"forum": world["tree"][forum].slug, "export": "csv"}
    return let_through(client.get(reverse(url_name), params))


def export_network_report(client, forum, world):
    return _report(client, forum, world, "stats_report_network")


def export_study_hours(client, forum, world):
    return _report(client, forum, world, "stats_report_trainees")


# The people of a forum (people/) -------------------------------------------


def open_forum_people(client, forum, world):
    url = reverse("people_forum", args=[world["tree"][forum].pk])
    return let_through(client.get(url))


def appoint_administrator(client, forum, world):
    account = world["objects"][forum]["account"]
    url = reverse("people_forum_appoint", args=[world["tree"][forum].pk])
    no_crash(client.post(url, {"user": account.pk, "role": "administrator"}))
    return account.groups.filter(pk=world["tree"][forum].admin_group_id).exists()


def remove_administrator(client, forum, world):
    member = world["objects"][forum]["member"]
    url = reverse("people_forum_remove", args=[world["tree"][forum].pk])
    no_crash(client.post(url, {"user": member.pk, "role": "administrator"}))
    return not member.groups.filter(pk=world["tree"][forum].admin_group_id).exists()


def add_lecturer(client, forum, world):
    name = f"新讲师{forum}"
    url = reverse("people_forum_add_lecturer", args=[world["tree"][forum].pk])
    no_crash(client.post(url, {"name": name, "title": "", "unit": ""}))
    return Lecturer.objects.filter(name=name).exists()


def edit_lecturer_profile(client, forum, world):
    lecturer = world["objects"][forum]["lecturer"]
    url = reverse("people_lecturer_profile", args=[lecturer.pk])
    data = {"name": f"改名{forum}", "title": "", "unit": "", "biography": "{}"}
    no_crash(client.post(url, data))
    return Lecturer.objects.filter(pk=lecturer.pk, name=f"改名{forum}").exists()


def create_account(client, forum, world):
    mobile = f"1350000{FORUMS.index(forum):04d}"
    data = {
        "real_name": "新人",
        "mobile": mobile,
        "unit_forum": world["tree"][forum].pk,
        "rank": Rank.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    no_crash(client.post(reverse("people_account_add"), data))
    return TraineeProfile.objects.filter(mobile=mobile).exists()


def edit_account(client, forum, world):
    profile = world["objects"][forum]["account"].trainee
    data = {
        "real_name": "改过的名字",
        "mobile": profile.mobile,
        "unit_forum": profile.unit_forum_id,
        "rank": Rank.objects.order_by("pk").values_list("pk", flat=True).first(),
        "is_active": "on",
    }
    no_crash(client.post(reverse("people_account_edit", args=[profile.pk]), data))
    return TraineeProfile.objects.filter(pk=profile.pk, real_name="改过的名字").exists()


def reset_password(client, forum, world):
    account = world["objects"][forum]["account"]
    url = reverse("people_account_password", args=[account.trainee.pk])
    no_crash(client.post(url))
    account.refresh_from_db()
    return not account.has_usable_password()


def order_topic(client, forum, world):
    today = timezone.localdate()
    url = reverse("topics_order_place", args=[world["objects"]["district"]["topic"].pk])
    data = {
        "forum": world["tree"][forum].pk,
        "preferred_from": today.isoformat(),
        "preferred_to": today.isoformat(),
        "audience_size": 77,
    }
    no_crash(client.post(url, data))
    return TopicOrder.objects.filter(
        forum=world["tree"][forum], audience_size=77
    ).exists()


def _order_action(client, order, action: str, **data) -> TopicOrder:
    url = reverse(f"topics_admin_order_{action}", args=[order.pk])
    no_crash(client.post(url, data))
    return TopicOrder.objects.get(pk=order.pk)


def dispatch_order(client, forum, world):
    objects = world["objects"][forum]
    order = _order_action(
        client, objects["ordered"], "dispatch", lecturer=objects["offering"].pk
    )
    return order.status == OrderStatus.DISPATCHED


def accept_order(client, forum, world):
    start = timezone.localtime(next_week()).strftime("%Y-%m-%dT%H:%M")
    order = _order_action(
        client,
        world["objects"][forum]["dispatched"],
        "accept",
        start=start,
        venue="会议室",
    )
    return order.status == OrderStatus.ACCEPTED


FORUM_ACTIONS: dict[str, Callable] = {
    "view a draft in the admin": view_draft,
    "view a draft on the site": public_draft,
    "edit the forum": edit_forum,
    "draft a session": draft_session,
    "publish a session": publish_session,
    "approve a session": approve_session,
    "approve a founding": approve_founding,
    "open the roster": open_roster,
    "mark attendance": mark_attendance,
    "check someone in (walk-in)": add_walk_in,
    "run the check-in screen": checkin_screen,
    "export registrations": export_registrations,
    "export attendance": export_attendance,
    "manage a class": manage_class,
    "export a class's completion": export_class_completion,
    "enrol in a class": enrol_in_class,
    "read a session's evaluations": read_evaluations,
    "export the network report": export_network_report,
    "export trainees' study hours": export_study_hours,
    "open a forum's people": open_forum_people,
    "appoint an administrator": appoint_administrator,
    "remove an administrator": remove_administrator,
    "add a lecturer": add_lecturer,
    "edit a lecturer's profile": edit_lecturer_profile,
    "create an account in the unit": create_account,
    "edit an account of the unit": edit_account,
    "reset a password in the unit": reset_password,
    "order a topic for the forum": order_topic,
    "dispatch an order to the forum's lecturer": dispatch_order,
    "accept an order dispatched in the forum": accept_order,
}


# Actions that concern no forum: f(client, world) -> went through ------------


def read_other_trainees_page(client, world):
    """/me/ takes no one's id: it shows the reader himself, never 另一学员."""
    response = client.get(reverse("lectures:me"))
    if not let_through(response):
        return False
    return "另一学员" in response.content.decode() or "13900000000" in (
        response.content.decode()
    )


def read_other_trainees_feed(client, world):
    """His feed needs his signed token; one made with another key fails."""
    real = calendar_token(world["other"])
    forged = real.rsplit(":", 1)[0] + ":" + "A" * len(real.rsplit(":", 1)[1])
    guessed = f"{world['other'].pk}"
    return any(
        let_through(client.get(reverse("lectures:my_calendar", args=[token])))
        for token in (forged, guessed)
    )


def open_the_admin(client, world):
    return let_through(client.get(reverse("wagtailadmin_home")))


def import_trainees(client, world):
    return let_through(client.get(reverse("lectures_trainee_import")))


def manage_lecturers(client, world):
    return let_through(client.get("/admin/snippets/lectures/lecturer/add/"))


def list_accounts(client, world):
    return let_through(client.get("/admin/accounts/"))


def edit_own_lecturer_profile(client, world):
    response = client.get(reverse("people_my_lecturer_profile"), follow=True)
    return (
        response.status_code == 200
        and "people/lecturers/" in response.request["PATH_INFO"]
    )


SITE_ACTIONS: dict[str, Callable] = {
    "read another trainee's /me/": read_other_trainees_page,
    "read another trainee's calendar": read_other_trainees_feed,
    "open the admin": open_the_admin,
    "import trainees": import_trainees,
    "manage lecturers": manage_lecturers,
    "list accounts": list_accounts,
    "edit one's own lecturer profile": edit_own_lecturer_profile,
}


# The expected table ------------------------------------------------------------

SUBTREE = {
    "district_admin": set(FORUMS),
    "unit_admin": {"unit"},
    "town_admin": {"town", "village", "village2"},
    "village_admin": {"village"},
}
NOWHERE: set[str] = set()


def administrators(**extra: set[str]) -> dict[str, set[str]]:
    """Each administrator his subtree; everyone else nothing, unless given."""
    row = {role: set(SUBTREE.get(role, NOWHERE)) for role in ROLES}
    row.update(extra)
    return row


def only_parents(row: dict[str, set[str]]) -> dict[str, set[str]]:
    return {role: allowed & set(PARENTS) for role, allowed in row.items()}


EXPECTED: dict[str, dict[str, set[str] | bool]] = {
    "view a draft in the admin": administrators(),
    # Wagtail serves live pages only, whoever asks.
    "view a draft on the site": dict.fromkeys(ROLES, NOWHERE),
    "edit the forum": administrators(),
    "draft a session": administrators(lecturer={"town"}),
    "publish a session": administrators(),
    "approve a session": administrators(),
    # Below a village no forum can be proposed: those cells do not exist.
    "approve a founding": only_parents(administrators()),
    # The lecturer runs the roster and check-in of the session he gives.
    "open the roster": administrators(lecturer={"town"}),
    "mark attendance": administrators(lecturer={"town"}),
    "check someone in (walk-in)": administrators(lecturer={"town"}),
    "run the check-in screen": administrators(lecturer={"town"}),
    "export registrations": administrators(),
    "export attendance": administrators(),
    # Classes are held in the district and the 小讲坛, not in villages.
    "manage a class": only_parents(administrators()),
    "export a class's completion": only_parents(administrators()),
    "enrol in a class": {
        role: NOWHERE if role == "anonymous" else set(PARENTS) for role in ROLES
    },
    # Evaluations: the forum's administrators and above, and the lecturer
    # who gave the session (anonymously, see test_evaluations_anonymity).
    "read a session's evaluations": administrators(lecturer={"town"}),
    # Reports are refused by name outside one's subtree, never widened.
    "export the network report": administrators(),
    "export trainees' study hours": administrators(),
    # 点单式讲坛: a forum's administrators order for it and dispatch to its
    # lecturers (so those above it too); only the lecturer himself accepts.
    "order a topic for the forum": administrators(),
    "dispatch an order to the forum's lecturer": administrators(),
    "accept an order dispatched in the forum": dict.fromkeys(ROLES, NOWHERE)
    | {"lecturer": {"town"}},
    "read another trainee's /me/": dict.fromkeys(ROLES, False),
    "read another trainee's calendar": dict.fromkeys(ROLES, False),
    "open the admin": {role: role not in ("anonymous", "trainee") for role in ROLES},
    "import trainees": {role: role == "district_admin" for role in ROLES},
    "manage lecturers": {role: role == "district_admin" for role in ROLES},
    # People: each level looks after its subtree, and nobody else.
    "open a forum's people": administrators(),
    "appoint an administrator": administrators(),
    "remove an administrator": administrators(),
    "add a lecturer": administrators(),
    "edit a lecturer's profile": administrators(),
    "create an account in the unit": administrators(),
    "edit an account of the unit": administrators(),
    "reset a password in the unit": administrators(),
    "list accounts": {role: role.endswith("_admin") for role in ROLES},
    "edit one's own lecturer profile": {role: role == "lecturer" for role in ROLES},
}


ONLY_PARENTS = {
    "approve a founding",
    "manage a class",
    "export a class's completion",
    "enrol in a class",
}


def forums_for(action: str) -> tuple[str, ...]:
    return PARENTS if action in ONLY_PARENTS else FORUMS


def position(role: str, forum: str, tree) -> str:
    """How the forum stands to the role's own: own, below, above, sibling, apart."""
    home = HOME_FORUM.get(role)
    if home is None:
        return "public"
    mine, theirs = tree[home].path, tree[forum].path
    if mine == theirs:
        return "own"
    if theirs.startswith(mine):
        return "below"
    if mine.startswith(theirs):
        return "above"
    if mine[: -Page.steplen] == theirs[: -Page.steplen]:
        return "sibling"
    return "apart"


MATRIX_SIZE = sum(
    len(forums_for(action)) * len(ROLES) for action in FORUM_ACTIONS
) + len(SITE_ACTIONS) * len(ROLES)


def test_the_table_covers_every_cell():
    assert set(EXPECTED) == set(FORUM_ACTIONS) | set(SITE_ACTIONS)
    for action, row in EXPECTED.items():
        assert set(row) == set(ROLES), action
    assert MATRIX_SIZE == (26 * 7 + 4 * 4) * 7 + 7 * 7  # 1,435 cells


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", FORUM_ACTIONS)
def test_forum_action(world, action, role):
    world = {**world, "objects": world["objects"], "tree": fresh(world["tree"])}
    client = as_role(role, world)
    went_through = {
        forum: FORUM_ACTIONS[action](client, forum, world)
        for forum in forums_for(action)
    }
    expected = {forum: forum in EXPECTED[action][role] for forum in went_through}
    label = {
        forum: f"{forum} ({position(role, forum, world['tree'])})"
        for forum in went_through
    }
    assert {label[f]: v for f, v in went_through.items()} == {
        label[f]: v for f, v in expected.items()
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", SITE_ACTIONS)
def test_site_action(world, action, role):
    client = as_role(role, world)
    assert SITE_ACTIONS[action](client, world) is EXPECTED[action][role]
