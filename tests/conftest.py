"""Fixtures shared by every test."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from config.celery_app import app as celery_app
from tests.libraries.github_standin import GitHubStandIn

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOP_8 = CONTENT_DIR / "2018-10-03-top-8-python-machine-learning-libraries.md"
TOP_13 = CONTENT_DIR / "2018-11-02-top-13-python-deep-learning-libraries.md"
CATALOGUE = CONTENT_DIR / "libraries.yaml"


@pytest.fixture(autouse=True)
def empty_cache():
    """Stored pages, fragments, generations and rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def imported_series(db):
    """The shipped catalogue and both articles, imported the way `make run` does."""
    call_command("import_libraries", str(CATALOGUE), stdout=None)
    call_command("import_article", str(TOP_8), str(TOP_13))


def staff_in_group(user_model, username: str, group: str, **fields):
    """A staff account that holds exactly the permissions of one group created by a data migration."""
    from django.contrib.auth.models import Group

    user = user_model.objects.create_user(username, password=f"a-long-{username}-password", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return staff_in_group(django_user_model, "editor", "Editors")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def cold_get(client, url: str):
    """A request as the first reader after a change gets it: no stored page, no stored fragment."""
    cache.clear()
    return client.get(url)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Wraps a change made by a service or the admin: what it does after its transaction commits is done."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@contextmanager
def broker(url):
    """Point the Celery app at another broker for one test, with fresh connection pools.

    kombu keeps one pool per broker address for the whole process: the app's own broker is used as it is,
    since closing its pool here would close it for every test after this one."""
    conf = celery_app.conf
    if url == conf.broker_url:
        yield
        return
    urls = (conf.broker_url, conf.broker_write_url, conf.broker_read_url)
    pools = (celery_app._pool, celery_app.amqp._producer_pool)
    conf.broker_url = conf.broker_write_url = conf.broker_read_url = url
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        conf.broker_url, conf.broker_write_url, conf.broker_read_url = urls
        celery_app._pool, celery_app.amqp._producer_pool = pools


@pytest.fixture
def unreachable_broker():
    """A Redis port where nothing listens, as when the broker is down."""
    with broker("redis://127.0.0.1:1/0"):
        yield


# The GitHub stand-in, for the refresh's tests and the admin's that fetch a library's figures.
GITHUB_TOKEN = "test-token"


@pytest.fixture
def github():
    with GitHubStandIn(token=GITHUB_TOKEN) as standin:
        yield standin


@pytest.fixture
def github_settings(settings, github):
    """Point the settings-built client (tasks, the management command) at the stand-in."""
    settings.GITHUB_API_URL = github.url
    settings.GITHUB_TOKEN = GITHUB_TOKEN
    return settings


@pytest.fixture
def eager_celery():
    """Tasks run in the caller's thread, so task logic is testable without a broker (see test_worker.py)."""
    from config.celery_app import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


# A real Celery worker, in a thread of the test process, on the real broker (Redis on CI's second run).
needs_real_broker = pytest.mark.skipif(
    settings.CELERY_BROKER_URL.startswith("memory://"),
    reason="needs a real broker: set CELERY_BROKER_URL=redis://… (CI runs the suite again with Redis)",
)


def close_db_connection(**kwargs):
    connection.close()  # the worker thread's own connection, so the test database can be dropped


@pytest.fixture
def worker():
    with celery_app.connection() as conn:
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)
    task_postrun.connect(close_db_connection)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as started:
            yield started
    finally:
        task_postrun.disconnect(close_db_connection)
