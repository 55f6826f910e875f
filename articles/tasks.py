"""Background work for articles: emailing moderators about new comments."""

import logging

from celery import shared_task
from django.db import transaction

from articles.comments import comment_notify_moderators
from articles.models import Comment

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
