"""A Redis that is down fails no page and loses no invalidation (issue 21).

Against a real `redis-server` started for the test on a free port, with an
append-only file so that a restart brings back what it held — the copies a
change committed meanwhile must not be served again. "Down" is the server
killed (connections refused) or stopped (SIGSTOP: connections hang until the
socket timeout)."""

import logging
import os
import signal
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lectures.models import Attendance, SessionPage
from lectures.services import checkin
from tests.concurrency import all_at_once
from tests.factories import SessionFactory, UserFactory
from tests.wagtail_admin import edit_url, refused, session_form
from training_site import caching, invalidations
from training_site.models import PendingInvalidation
from training_site.page_cache import GENERATION_KEY, SCOPE_KEY

pytestmark = [pytest.mark.django_db]


class RedisServer:
    """A redis-server of the test's own, which it can kill, stop and start
    again with its data (appendonly)."""

    def __init__(self, directory):
        self.directory = directory
        self.port = _free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _attempt in range(200):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.terminate()  # a clean shutdown: the AOF holds its data
        self.process.wait(10)

    def stop(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.kill()
            self.process.wait(10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.close()


def _redis_cache(server, prefix: str) -> dict:
    return {
        "BACKEND": "training_site.caching.ResilientRedisCache",
        "LOCATION": server.url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.3},
    }


@pytest.fixture
def redis_caches(redis_server):
    """The `default` and `pages` caches in that Redis, the page cache on,
    retried at once after a failure (`rest` tests its own pause)."""
    caching._health.clear()
    with override_settings(
        CACHES={
            **settings.CACHES,  # the counters stay in the database
            "default": _redis_cache(redis_server, "site_cache"),
            "pages": _redis_cache(redis_server, "page_cache"),
        },
        PAGE_CACHE_SECONDS=60,
        REDIS_RETRY_SECONDS=0,
    ):
        yield redis_server
    caching._health.clear()


@pytest.fixture
def session(tree):
    start = timezone.now() + timedelta(minutes=5)
    return SessionFactory(
        parent=tree["town"],
        title="乡村振兴专题",
        start=start,
        end=start + timedelta(hours=2),
    )


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


def served(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def public_urls(tree, session) -> list[str]:
    return [
        "/",
        tree["town"].url,
        tree["town"].url + "feed.ics",
        session.url,
        session.url + "event.ics",
        "/schedule/",
        "/schedule.ics",
        "/lecturers/",
    ]


def publish_title(client, user, session, title):
    """The admin's editor: change the session's title and publish it."""
    client.force_login(user)
    form = session_form(
        title, slug=session.slug, start=session.start, venue=session.venue
    )
    form.pop("action-submit")
    form["action-publish"] = "x"
    response = client.post(edit_url(session), form)
    client.logout()
    return response


def test_every_kind_of_page_answers_with_redis_killed(
    client, tree, session, superuser, redis_caches, caplog
):
    for url in public_urls(tree, session):  # kept while Redis is up
        assert client.get(url).status_code == 200
    redis_caches.kill()

    with caplog.at_level(logging.WARNING, logger="training_site.caching"):
        for url in public_urls(tree, session):
            response = client.get(url)
            assert response.status_code == 200, url
            assert served(response) is None, url  # rendered, neither kept nor old
        trainee = UserFactory()
        client.force_login(trainee)
        assert client.get("/me/").status_code == 200
        code = checkin.current_credentials(session).code
        answer = client.post(session.url + "checkin/", {"code": code})
        assert answer.status_code == 200
        assert Attendance.objects.get(session=session).user == trainee
        client.force_login(superuser)
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
        assert client.get(edit_url(session)).status_code == 200

    # One warning for the burst, not one per request.
    warnings = [r for r in caplog.records if r.name == "training_site.caching"]
    assert len(warnings) == 1
    assert "failing" in warnings[0].getMessage()


def test_a_stopped_redis_times_out_and_pages_still_answer(
    client, tree, session, redis_caches
):
    assert served(client.get(session.url)) == "miss"
    redis_caches.stop()
    try:
        response = client.get(session.url)
        assert response.status_code == 200
        assert served(response) is None
        assert client.get("/").status_code == 200
    finally:
        redis_caches.resume()


def test_a_publish_with_redis_down_is_committed_and_kept_to_retry(
    client, tree, session, superuser, redis_caches, django_capture_on_commit_callbacks
):
    redis_caches.kill()
    with django_capture_on_commit_callbacks(execute=True):
        response = publish_title(client, superuser, session, "改期后的专题")
    assert response.status_code == 302
    assert not refused(response)
    assert SessionPage.objects.get(pk=session.pk).title == "改期后的专题"

    # One row, however many signals the publish sent (each one an attempt,
    # three today); the pages read meanwhile tried it without counting.
    pending = PendingInvalidation.objects.get()
    assert pending.applied_at is None
    tried = pending.attempts
    assert "ConnectionError" in pending.last_error
    assert SCOPE_KEY + session.url in pending.keys
    assert SCOPE_KEY + "/" in pending.keys
    assert pending.what() == f"显示 {session.url} 的页面"

    # The sweep (the worker, every minute) tries again, counts the attempt.
    assert invalidations.sweep() == 0
    pending.refresh_from_db()
    assert (pending.applied_at, pending.attempts) == (None, tried + 1)

    client.force_login(superuser)
    report = client.get(reverse("cache_invalidations"))
    assert report.status_code == 200
    assert session.url in report.content.decode()


def test_after_redis_comes_back_the_change_is_served_not_the_copy_before(
    client, tree, session, superuser, redis_caches, django_capture_on_commit_callbacks
):
    urls = [session.url, tree["town"].url, "/"]
    for url in urls:
        client.get(url)
        assert served(client.get(url)) == "hit"
    redis_caches.kill()
    with django_capture_on_commit_callbacks(execute=True):
        publish_title(client, superuser, session, "改期后的专题")
    assert PendingInvalidation.objects.filter(applied_at=None).count() == 1

    redis_caches.start()  # with the copies it held, under the old scopes
    for url in urls:
        response = client.get(url)
        assert "改期后的专题" in response.content.decode(), url
        assert served(response) == "miss", url
    pending = PendingInvalidation.objects.get()
    assert pending.applied_at is not None


def test_the_worker_applies_a_pending_invalidation_once_redis_answers(
    client, tree, session, redis_caches, django_capture_on_commit_callbacks
):
    client.get("/")
    assert served(client.get("/")) == "hit"
    generation = caches["pages"].get(GENERATION_KEY)
    redis_caches.kill()
    with django_capture_on_commit_callbacks(execute=True):
        tree["town"].save_revision().publish()  # a forum: every page
    pending = PendingInvalidation.objects.get()
    assert pending.keys == [GENERATION_KEY]
    assert pending.what() == "全部公开页面"
    tried = pending.attempts

    redis_caches.start()
    assert invalidations.sweep() == 1  # before any request read the cache
    pending.refresh_from_db()
    assert pending.applied_at is not None
    assert pending.attempts == tried + 1
    assert caches["pages"].get(GENERATION_KEY) != generation
    assert served(client.get("/")) == "miss"


def test_the_worker_is_handed_a_deferred_retry(
    tree, redis_caches, django_capture_on_commit_callbacks
):
    """On the database queue (as `make run`), a failure queues one retry
    `REDIS_RETRY_SECONDS` later; the worker's run of it applies it."""
    from django_tasks_db.models import DBTaskResult

    database_queue = {
        **settings.TASKS,
        "notify": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    with override_settings(TASKS=database_queue, REDIS_RETRY_SECONDS=5):
        redis_caches.kill()
        with django_capture_on_commit_callbacks(execute=True):
            tree["town"].save_revision().publish()
        queued = DBTaskResult.objects.get(
            task_path="training_site.invalidations.retry_invalidations"
        )
        assert queued.run_after > queued.enqueued_at
        redis_caches.start()
        caching._health.clear()  # the worker: a process of its own
        assert invalidations.retry_invalidations.call() == 1
    assert PendingInvalidation.objects.get().applied_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crowd_after_redis_comes_back_never_gets_the_copy_before(tree, redis_caches):
    """Real threads: one applies the pending invalidation before it reads;
    the others, meanwhile, render as if uncached rather than read the copies
    Redis brought back."""
    from django.test import Client

    session = SessionFactory(parent=tree["town"], title="乡村振兴专题")
    client = Client()
    client.get(session.url)
    assert served(client.get(session.url)) == "hit"
    redis_caches.kill()
    session.title = "改期后的专题"
    session.save_revision().publish()  # commits: the invalidation fails
    assert PendingInvalidation.objects.filter(applied_at=None).count() == 1
    redis_caches.start()

    def visit(_):
        response = Client().get(session.url)
        return response.status_code, "改期后的专题" in response.content.decode()

    assert all_at_once(visit, range(4)) == [(200, True)] * 4
    assert PendingInvalidation.objects.get().applied_at is not None


@override_settings(REDIS_RETRY_SECONDS=60)
def test_a_failing_redis_is_left_alone_for_a_while(redis_caches):
    cache = caches["pages"]
    cache.set("kept", 1)
    redis_caches.kill()
    assert cache.get("kept") is None  # the failure
    redis_caches.start()
    # Redis answers, but this process does not ask for a minute.
    assert cache.get("kept") is None
    with pytest.raises(caching.CacheUnavailable), caching.strict():
        cache.set("kept", 2)
    caching._health_of(cache._servers).resting_until = 0
    assert cache.get("kept") == 1


def test_reads_miss_and_writes_are_skipped_but_strict_ones_raise(redis_caches):
    cache = caches["default"]
    redis_caches.kill()
    assert cache.get("x", "default") == "default"
    assert cache.get_many(["x", "y"]) == {}
    assert cache.add("x", 1) is False
    assert cache.set_many({"x": 1, "y": 2}) == ["x", "y"]
    cache.set("x", 1)
    cache.delete("x")
    with pytest.raises(redis.ConnectionError), caching.strict():
        cache.set("x", 1)


def test_the_report_is_for_superusers_and_the_district(
    client, tree, district_admin, town_admin, superuser
):
    PendingInvalidation.objects.create(
        keys=[GENERATION_KEY],
        digest="d",
        last_attempt_at=timezone.now(),
        last_error="down",
    )
    url = reverse("cache_invalidations")
    for user, allowed in (
        (superuser, True),
        (district_admin, True),
        (town_admin, False),
    ):
        client.force_login(user)
        response = client.get(url)
        if allowed:
            assert response.status_code == 200
            assert "down" in response.content.decode()
        else:
            assert refused(response) or response.status_code == 403
    client.force_login(superuser)
    export = client.get(url + "?export=csv")
    assert export.status_code == 200
    assert b"down" in b"".join(export.streaming_content)


def test_an_empty_report_says_the_cache_took_everything(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("cache_invalidations")).content.decode()
    assert "没有待补的记录" in page
    filtered = client.get(reverse("cache_invalidations") + "?pending=true")
    assert "没有符合筛选条件的失效记录" in filtered.content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_report_costs_the_same_with_one_row_or_many(
    client, superuser, rows, django_assert_num_queries
):
    now = timezone.now()
    PendingInvalidation.objects.bulk_create(
        PendingInvalidation(
            keys=[SCOPE_KEY + "/", SCOPE_KEY + f"/a/s{n}/"],
            digest=str(n),
            last_attempt_at=now,
            applied_at=now if n % 2 else None,
        )
        for n in range(rows)
    )
    client.force_login(superuser)
    client.get(reverse("cache_invalidations"))  # the session's menu answer
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("cache_invalidations"))
    assert response.status_code == 200
    assert response.content.decode().count("/a/s") == rows


#: The report: session, user and his profile, the count and the page of rows;
#: the admin's own (locales, the explorer menu's pages, unread messages).
QUERIES = 9


def test_the_network_import_says_so_when_it_cannot_keep_the_upload(
    client, redis_caches
):
    """Between preview and confirmation the workbook waits in the `default`
    cache: a skipped write would make the confirmation say "expired"."""
    from onboarding.services.setup import setup_network
    from tests.onboarding.test_admin_import import upload
    from tests.onboarding.workbooks import sheets

    done = setup_network(
        district_name="某区干部大讲坛",
        department_name="区委组织部",
        username="first_admin",
        password="Zhong-Wen-2026",
    )
    client.force_login(done.administrator)
    redis_caches.kill()
    response = client.post("/admin/network/import/", {"files": upload(sheets())})
    assert response.status_code == 200
    assert "token" not in response.context
    assert response.context["form"].errors["files"]
    assert not SessionPage.objects.exists()


def test_a_recovery_that_breaks_leaves_no_thread_waiting(redis_caches):
    """Whatever a receiver of `cache_recovered` raises, the process does not
    stay "recovering" (every other thread answered misses for ever)."""
    cache = caches["pages"]
    cache.set("kept", 1)
    redis_caches.kill()
    assert cache.get("kept") is None
    redis_caches.start()

    def broken(**kwargs):
        raise RuntimeError("a bug in a receiver")

    caching.cache_recovered.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            cache.get("kept")
    finally:
        caching.cache_recovered.disconnect(broken)
    assert caching._health_of(cache._servers).recovering is None
    assert cache.get("kept") == 1
