"""Background work for articles: emailing moderators about new comments, and subscribers about new parts."""

import logging

from celery import shared_task
from django.db import transaction

from articles.comments import comment_notify_moderators, comments_notify_pending
from articles.drafts import post_drafts_publish_due
from articles.models import Comment, Post, Subscription
from articles.subscriptions import confirmation_send, post_announce, recently_published, unconfirmed_purge

logger = logging.getLogger(__name__)


# smtplib.SMTPException, refused connections and timeouts are all OSErrors.
@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, retry_jitter=True, max_retries=8)
def notify_moderators(comment_id: int) -> None:
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is not None:
        comment_notify_moderators(comment=comment)


def notify_moderators_on_commit(comment_id: int) -> None:
    """Enqueue the moderators' email once the comment is committed.

    A broker that is down must not turn a saved comment into an error page: the failure is logged and
    the comment keeps `notified_at` empty, for `manage.py notify_pending_comments` to send later."""

    def enqueue():
        try:
            notify_moderators.apply_async((comment_id,), retry_policy={"max_retries": 2})
        except Exception:  # kombu's OperationalError, redis errors, a full disk under the filesystem broker…
            logger.exception("Could not enqueue the moderators' email for comment %s; it stays pending.", comment_id)

    transaction.on_commit(enqueue)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, retry_jitter=True, max_retries=8)
def send_subscription_confirmation(subscription_id: int) -> None:
    subscription = Subscription.objects.select_related("part", "series").filter(pk=subscription_id).first()
    if subscription is not None and subscription.confirmed_at is None:
        confirmation_send(subscription)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, retry_jitter=True, max_retries=8)
def announce_post(post_id: int) -> int:
    """Tell the confirmed subscribers a post is out; run it any number of times, each address hears once."""
    post = Post.objects.select_related("series").filter(pk=post_id).first()
    return post_announce(post) if post is not None else 0


@shared_task
def subscriptions_housekeeping() -> None:
    """Hourly: announce what a scheduled date brought out, and forget addresses never confirmed."""
    for post_id in recently_published().values_list("pk", flat=True):
        announce_post.delay(post_id)
    unconfirmed_purge()


@shared_task
def notify_pending_comments() -> int:
    """Hourly: email moderators about comments never announced (a moderator has an address now, the mail
    server is back)."""
    return comments_notify_pending().sent


@shared_task
def publish_due_drafts() -> int:
    """Every minute: publish the live posts' drafts whose time has come."""
    return len(post_drafts_publish_due())


def on_commit_enqueue(task, *args) -> None:
    """Enqueue once the transaction commits; a broker that is down is logged, not shown to the reader (the
    hourly housekeeping announces what is due)."""

    def enqueue():
        try:
            task.apply_async(args, retry_policy={"max_retries": 2})
        except Exception:
            logger.exception("Could not enqueue %s%s", task.name, args)

    # Outside a transaction on_commit would run it at once anyway; this also covers a connection another thread
    # has out of autocommit (the browser tests share SQLite's in-memory connection with the live server).
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(enqueue)
    else:
        enqueue()
