"""Moderators are emailed after the comment commits; a broker or mail server that is down loses nothing."""

import datetime
import logging
import smtplib
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.comments import comment_notify_moderators
from articles.forms import comment_form_token
from articles.models import Comment
from articles.tasks import notify_moderators
from config.celery_app import app as celery_app
from tests.articles.conftest import form_data
from tests.conftest import broker, staff_in_group
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """The locmem backend behind a mail server that refuses the first `failures` attempts."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.attempts = 0
    return FlakyBackend


@pytest.fixture
def eager_enqueue(monkeypatch):
    """Stand-in for the broker and worker: what is enqueued runs at once, and is recorded."""
    enqueued = []

    def apply_async(args, **options):
        enqueued.append(args)
        return notify_moderators.apply(args)

    monkeypatch.setattr(notify_moderators, "apply_async", apply_async)
    return enqueued


def send_comment(client, post, **overrides):
    return client.post(reverse("articles:post_comment", kwargs={"slug": post.slug}), form_data(post, **overrides))


def test_moderators_are_emailed_only_once_the_comment_is_committed(
    client, post, moderator, eager_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert send_comment(client, post).status_code == 302
    comment = Comment.objects.get()
    assert eager_enqueue == [] and mail.outbox == []  # nothing before the commit

    for callback in callbacks:
        callback()

    assert eager_enqueue == [(comment.pk,)]
    [email] = mail.outbox
    assert email.to == ["moderator@example.org"]
    assert email.subject == "New comment on “Top 13 Python Deep Learning Libraries”"
    assert "Keras deserved a higher rank." in email.body
    assert f"http://127.0.0.1:8000/admin/articles/comment/{comment.pk}/change/" in email.body
    assert "ada@example.org" not in email.body and "127.0.0.1\n" not in email.body
    comment.refresh_from_db()
    assert comment.notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_end_to_end_a_real_worker_emails_the_moderators(client, post, moderator):
    """The real path once: the request commits, the message goes through a broker, a worker sends the email."""
    with broker("memory://"), start_worker(celery_app, perform_ping_check=False, shutdown_timeout=5):
        assert send_comment(client, post).status_code == 302
        deadline = time.monotonic() + 20  # a bound on waiting for the worker thread, not a timing assertion
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)

    assert [email.to for email in mail.outbox] == [["moderator@example.org"]]
    assert Comment.objects.get().notified_at is not None


def test_spam_and_repeated_comments_email_nobody(
    client, post, moderator, eager_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(client, post, subject="I am a bot")
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(client, post, body="Real words.")
    with django_capture_on_commit_callbacks(execute=True) as repeated:
        send_comment(client, post, body="Real words.")

    assert Comment.objects.count() == 2 and repeated == []
    assert len(mail.outbox) == 1 and "Real words." in mail.outbox[0].body


def test_a_comment_sent_too_fast_then_properly_reaches_the_moderators(
    client, post, moderator, eager_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(client, post, token=comment_form_token(post))  # sent the instant the form was shown
    assert Comment.objects.get().status == Comment.Status.SPAM and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert send_comment(client, post).status_code == 302

    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == (Comment.Status.PENDING, "")
    assert eager_enqueue == [(comment.pk,)]
    [email] = mail.outbox
    assert "Keras deserved a higher rank." in email.body
    assert comment in Comment.objects.pending()


def test_a_broken_broker_does_not_lose_the_comment(
    client, post, moderator, unreachable_broker, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR, logger="articles.tasks"), django_capture_on_commit_callbacks(execute=True):
        response = send_comment(client, post)

    assert response.status_code == 302
    assert "awaits moderation" in client.get(response["Location"]).content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.notified_at is None
    assert f"Could not enqueue the moderators' email for comment {comment.pk}" in caplog.text

    call_command("notify_pending_comments", "--older-than", "0", stdout=None)

    assert [email.to for email in mail.outbox] == [["moderator@example.org"]]
    comment.refresh_from_db()
    assert comment.notified_at is not None


def test_the_task_retries_while_the_mail_server_refuses(post, moderator, flaky_mail):
    flaky_mail.failures = 2
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)

    result = notify_moderators.apply((comment.pk,))

    assert result.successful()
    assert flaky_mail.attempts == 3
    assert len(mail.outbox) == 1
    comment.refresh_from_db()
    assert comment.notified_at is not None


def test_when_mail_stays_down_the_task_gives_up_and_the_comment_stays_pending(post, moderator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)

    result = notify_moderators.apply((comment.pk,))

    assert result.failed() and isinstance(result.result, OSError)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.notified_at is None
    with pytest.raises(CommandError, match="1 comment"):
        call_command("notify_pending_comments", "--older-than", "0", stdout=None)
    assert Comment.objects.awaiting_notification().get() == comment


def test_the_fallback_addresses_are_used_when_no_moderator_has_one(post, settings):
    settings.MODERATOR_EMAILS = ["editor-desk@example.org", "second@example.org"]
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)

    notify_moderators.apply((comment.pk,))

    assert mail.outbox[0].to == ["editor-desk@example.org", "second@example.org"]


def test_a_comment_moderated_before_its_email_goes_out_is_not_emailed(post, moderator):
    comment = CommentFactory(post=post, status=Comment.Status.APPROVED)

    notify_moderators.apply((comment.pk,))
    notify_moderators.apply((987654,))  # deleted since

    assert mail.outbox == []


def test_notify_pending_comments_leaves_recent_and_notified_comments_alone(post, moderator):
    recent = CommentFactory(post=post, status=Comment.Status.PENDING)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    old = CommentFactory(post=post, status=Comment.Status.PENDING, created_at=an_hour_ago)
    CommentFactory(post=post, status=Comment.Status.PENDING, created_at=old.created_at, notified_at=timezone.now())
    CommentFactory(post=post, status=Comment.Status.SPAM, created_at=old.created_at)

    call_command("notify_pending_comments", stdout=None)

    assert len(mail.outbox) == 1 and old.body in mail.outbox[0].body
    assert list(Comment.objects.awaiting_notification()) == [recent]


def test_without_a_moderator_address_a_comment_is_not_marked_notified_and_is_sent_once_there_is_one(
    post, settings, django_user_model
):
    settings.MODERATOR_EMAILS = []
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)

    assert comment_notify_moderators(comment=comment) == 0
    comment.refresh_from_db()
    assert comment.notified_at is None and not mail.outbox

    staff_in_group(django_user_model, "mod", "Moderators", email="mod@example.org")
    call_command("notify_pending_comments", "--older-than", "0", stdout=None)
    comment.refresh_from_db()
    assert comment.notified_at is not None and mail.outbox[0].to == ["mod@example.org"]


def test_the_comment_list_says_once_when_nobody_would_be_emailed(editor_client, settings):
    settings.MODERATOR_EMAILS = []
    comment = CommentFactory(status="pending")

    page = editor_client.get(reverse("admin:articles_comment_changelist")).content.decode()
    assert page.count("no moderator has an email address") == 1 and "manage.py" not in page

    approved = editor_client.post(
        reverse("admin:articles_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
        follow=True,
    ).content.decode()
    assert approved.count("no moderator has an email address") == 1  # after an approval too, not twice
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_the_hourly_task_emails_what_waited_for_a_moderators_address(django_user_model, settings):
    from django_celery_beat.models import PeriodicTask

    from articles.tasks import notify_pending_comments

    settings.MODERATOR_EMAILS = []
    comment = CommentFactory(status="pending", created_at=timezone.now() - datetime.timedelta(minutes=30))
    assert notify_pending_comments() == 0
    staff_in_group(django_user_model, "mod", "Moderators", email="mod@example.org")
    assert notify_pending_comments() == 1
    comment.refresh_from_db()
    assert comment.notified_at is not None and mail.outbox[0].to == ["mod@example.org"]
    hourly = PeriodicTask.objects.get(task="articles.tasks.notify_pending_comments")
    assert hourly.enabled and hourly.crontab.hour == "*"
