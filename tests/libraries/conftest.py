"""Fixtures for the refresh pipeline: a GitHub stand-in on a free port and clients pointed at it."""

import pytest

from libraries.github import GitHubClient
from tests.libraries.github_standin import GitHubStandIn

TOKEN = "test-token"
READ_TIMEOUT = 0.2


@pytest.fixture
def github():
    with GitHubStandIn(token=TOKEN) as standin:
        yield standin


@pytest.fixture
def sleeps():
    """Every wait the code under test asked for, instead of waiting."""
    return []


@pytest.fixture
def make_client(github, sleeps):
    def make(**options):
        defaults = {
            "token": TOKEN,
            "timeout": (0.5, READ_TIMEOUT),
            "max_attempts": 3,
            "backoff": 0.01,
            "sleep": sleeps.append,
        }
        return GitHubClient(github.url, **{**defaults, **options})

    return make


@pytest.fixture
def github_client(make_client):
    return make_client()


@pytest.fixture
def github_settings(settings, github):
    """Point the settings-built client (tasks, the management command) at the stand-in."""
    settings.GITHUB_API_URL = github.url
    settings.GITHUB_TOKEN = TOKEN
    return settings


@pytest.fixture
def eager_celery():
    """Tasks run in the caller's thread, so task logic is testable without a broker (see test_worker.py)."""
    from config.celery_app import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
