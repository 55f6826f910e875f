"""With the cache (Redis) or the broker down, for real (a closed port): nothing a reader or an editor did is
lost, and nothing answers 500."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.models import Comment, Post
from config.settings.base import caches_from
from libraries.models import Library
from tests.articles.conftest import comment_url, form_data
from tests.conftest import broker

pytestmark = pytest.mark.django_db

TOP_13 = "/posts/top-13-python-deep-learning-libraries/"
READER_PAGES = ["/", TOP_13, "/libraries/tensorflow/", "/libraries/", "/tags/learning/", "/feed/"]


@pytest.fixture
def dead_cache(settings):
    """Redis where nothing listens, for both the shared cache and the fragments."""
    settings.CACHES = caches_from(
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    )


def test_with_the_cache_down_every_reader_page_still_renders(imported_series, dead_cache, caplog):
    for url in READER_PAGES:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response  # rendered, not stored
    assert "TensorFlow" in Client().get(TOP_13).content.decode()
    assert any("unavailable" in record.getMessage() for record in caplog.records)


def test_with_the_cache_down_a_comment_is_saved_and_confirmed(imported_series, dead_cache, settings, caplog):
    settings.COMMENT_MIN_SECONDS = 0
    reader = Client(headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")

    response = reader.post(comment_url(post), form_data(post, body="Written while Redis was down."), follow=True)

    assert response.status_code == 200 and "awaits moderation" in response.content.decode()
    assert Comment.objects.get().body == "Written while Redis was down."
    assert "Rate limit comment-ip not counted" in caplog.text


def test_with_the_broker_down_the_admin_refresh_says_so_and_answers_no_500(imported_series, admin_client):
    tensorflow = Library.objects.get(slug="tensorflow")

    with broker("redis://127.0.0.1:9/0"):
        response = admin_client.post(
            reverse("admin:libraries_library_changelist"),
            {"action": "refresh_github_figures", "_selected_action": [tensorflow.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "did not answer, so no refresh was queued" in response.content.decode()


def test_with_the_broker_down_the_refresh_command_says_so_and_exits_1(imported_series, capsys):
    with broker("redis://127.0.0.1:9/0"), pytest.raises(CommandError) as refused:
        call_command("refresh_github_stats")

    assert "The broker did not answer" in str(refused.value) and "--sync" in str(refused.value)
    with broker("redis://127.0.0.1:9/0"), pytest.raises(CommandError):
        call_command("refresh_github_stats", "--library", "tensorflow")


def test_tasks_the_tests_enqueue_never_reach_the_development_broker(imported_series, settings, committed):
    """They would be sent by the next `make run` worker."""
    settings.COMMENT_MIN_SECONDS = 0
    settings.MODERATOR_EMAILS = ["moderator@example.org"]
    folder = Path(settings.BASE_DIR) / "var" / "broker"
    before = set(folder.glob("*")) if folder.exists() else set()
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")

    with committed():
        Client(headers={"Origin": "http://testserver"}).post(comment_url(post), form_data(post))

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert (set(folder.glob("*")) if folder.exists() else set()) == before
