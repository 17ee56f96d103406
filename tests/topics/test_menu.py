"""The menu: lecturers propose topics, their forums approve them; trainees
ask for them (我也想听)."""

import pytest
from wagtail.models import ModelLogEntry

from lectures.models import TraineeProfile
from tests.factories import LecturerFactory, UserFactory
from tests.topics.factories import TopicFactory
from topics.models import Topic, TopicStatus, TopicSupport
from topics.services import menu, support
from topics.services.errors import SupportError, TopicError

pytestmark = pytest.mark.django_db


def proposal(**kwargs) -> Topic:
    return Topic(
        title="安全生产责任落实", slug="anquan", summary="讲安全生产。", **kwargs
    )


def test_a_lecturer_proposes_a_topic_for_himself_and_his_forum_is_told(
    town_admin, lecturer, town_lecturer
):
    topic = menu.propose(proposal(), lecturer)
    assert topic.status == TopicStatus.PROPOSED
    assert list(topic.lecturers.all()) == [town_lecturer]
    assert not Topic.objects.on_menu().exists()
    told = ModelLogEntry.objects.get(action="topics.notice.topic_proposed")
    assert town_admin.pk in told.data["recipients"]


def test_someone_without_a_lecturer_profile_proposes_nothing(trainee):
    with pytest.raises(TopicError) as error:
        menu.propose(proposal(), trainee)
    assert error.value.code == "not_a_lecturer"
    assert not Topic.objects.exists()


def test_the_lecturers_forum_approves_it_into_the_menu(lecturer, town_admin):
    topic = menu.propose(proposal(), lecturer)
    menu.review(topic.pk, town_admin, approve=True)
    assert Topic.objects.on_menu().get() == topic


def test_the_district_approves_too_but_not_a_village_or_a_sibling(
    lecturer, district_admin, village_admin, sibling_admin
):
    topic = menu.propose(proposal(), lecturer)
    for user in (village_admin, sibling_admin, lecturer):
        with pytest.raises(TopicError) as error:
            menu.review(topic.pk, user, approve=True)
        assert error.value.code == "not_reviewer"
    menu.review(topic.pk, district_admin, approve=True)


def test_returning_needs_a_note_and_a_change_sends_it_again(lecturer, town_admin):
    topic = menu.propose(proposal(), lecturer)
    with pytest.raises(TopicError):
        menu.review(topic.pk, town_admin, approve=False, note=" ")
    returned = menu.review(topic.pk, town_admin, approve=False, note="补充案例")
    assert (returned.status, returned.review_note) == ("returned", "补充案例")
    with pytest.raises(TopicError) as error:
        menu.review(topic.pk, town_admin, approve=True)
    assert error.value.code == "not_proposed"
    again = menu.propose(Topic.objects.get(pk=topic.pk), lecturer)
    assert again.status == TopicStatus.PROPOSED


def test_someone_elses_topic_is_not_his_to_change(lecturer, tree):
    other = TopicFactory(lecturers=[LecturerFactory(forums=[tree["sibling"]])])
    with pytest.raises(TopicError):
        menu.propose(other, lecturer)
    with pytest.raises(TopicError):
        menu.set_offered(other.pk, lecturer, False)


def test_a_lecturer_takes_his_topic_off_the_menu_and_back(topic, lecturer):
    menu.set_offered(topic.pk, lecturer, False)
    assert not Topic.objects.on_menu().exists()
    menu.set_offered(topic.pk, lecturer, True)
    assert Topic.objects.on_menu().exists()


# 我也想听 ----------------------------------------------------------------------


@pytest.fixture
def villager(tree):
    user = UserFactory(username="villager")
    TraineeProfile.objects.create(
        user=user, real_name="村民", mobile="13811112222", unit_forum=tree["village"]
    )
    return user


def test_a_trainee_asks_for_a_topic_for_his_units_forum_once(topic, villager, tree):
    support.support(topic, villager)
    support.support(topic, villager)
    row = TopicSupport.objects.get()
    assert (row.forum_id, row.user_id) == (tree["village"].pk, villager.pk)
    counts = support.support_counts([tree["town"].path])
    assert [(c["topic_id"], c["forum_id"], c["n"]) for c in counts] == [
        (topic.pk, tree["village"].pk, 1)
    ]
    assert support.support_counts([tree["sibling"].path]) == []


def test_a_trainee_without_a_unit_forum_cannot_ask(topic, trainee):
    with pytest.raises(SupportError):
        support.support(topic, trainee)


def test_asking_is_withdrawn(topic, villager):
    support.support(topic, villager)
    support.withdraw(topic, villager)
    assert not support.supports(topic, villager)
