"""One log line per request and per task run, with what an operator needs to read them."""

import logging
import re

import pytest
from django.test import Client

from articles.tasks import notify_moderators
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_each_request_is_logged_with_method_path_status_and_duration(caplog):
    with caplog.at_level(logging.INFO, logger="site.requests"):
        Client().get("/")
        Client().get("/posts/no-such-post/?secret=1")

    lines = [record.getMessage() for record in caplog.records if record.name == "site.requests"]
    assert re.fullmatch(r"GET / 200 \d+\.\dms", lines[0])
    assert re.fullmatch(r"GET /posts/no-such-post/ 404 \d+\.\dms", lines[1])  # the path, never the query


def test_each_task_run_is_logged_with_name_id_outcome_and_duration(caplog, settings):
    settings.MODERATOR_EMAILS = ["moderator@example.org"]
    comment = CommentFactory(status="pending")

    with caplog.at_level(logging.INFO, logger="site.tasks"):
        result = notify_moderators.apply(args=(comment.pk,))

    lines = [record.getMessage() for record in caplog.records if record.name == "site.tasks"]
    assert re.fullmatch(rf"task articles\.tasks\.notify_moderators {result.id} SUCCESS \d+\.\dms", lines[0])


def test_worker_and_beat_log_lines_carry_a_timestamp():
    """The worker and beat log through the root logger (CELERY_WORKER_HIJACK_ROOT_LOGGER is off)."""
    handler = logging.getLogger().handlers[0]
    record = logging.LogRecord("celery.beat", logging.INFO, __file__, 1, "Scheduler: Sending due task", None, None)

    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO celery\.beat Scheduler", handler.format(record))
