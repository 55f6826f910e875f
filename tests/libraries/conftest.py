"""Fixtures for the refresh pipeline: a GitHub stand-in on a free port and clients pointed at it."""

import pytest

from libraries.github import GitHubClient
from tests.conftest import GITHUB_TOKEN as TOKEN

READ_TIMEOUT = 0.2


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
