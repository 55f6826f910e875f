"""Writes to comments: a reader's submission (held for moderation), moderation, and the moderators' emails."""

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.markdown import render_comment
from articles.models import Comment, Post
from core.page_generations import COMMENTS, comments_of, page_generations_bump

MODERATORS_GROUP = "Moderators"
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)

logger = logging.getLogger(__name__)


class CommentsClosed(Exception):
    """The post does not take comments (not published, closed by an editor, or past its days)."""


# Reasons the form's traps give; a comment held for one of them was never looked at by a person.
TRAP_REASONS = (Comment.HeldReason.HONEYPOT, Comment.HeldReason.TOO_FAST, Comment.HeldReason.BAD_TOKEN)


@dataclass(frozen=True)
class CommentSubmission:
    comment: Comment
    created: bool  # False when the same person sent the same text to the same post before
    reopened: bool = False  # True when this submission moved a trapped copy of the same text back to pending

    @property
    def needs_moderator_email(self) -> bool:
        return (self.created or self.reopened) and self.comment.status == Comment.Status.PENDING


def comment_body_hash(body: str) -> str:
    return hashlib.sha256(body.replace("\r\n", "\n").strip().encode()).hexdigest()


def comment_link_count(body: str) -> int:
    return len(_LINK.findall(body))


def comment_submit(
    *,
    post: Post,
    author_name: str,
    author_email: str,
    body: str,
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    spam_reason: str = "",
) -> CommentSubmission:
    """Store a reader's comment for moderation, once.

    `spam_reason` (a Comment.HeldReason) comes from the form's traps: the comment is kept as spam so
    moderators can still see it. Over COMMENT_MAX_LINKS links, the comment is held with reason "links".
    The body is rendered to `body_html` here, once, so pages never run Markdown on it.
    When the stored copy of the same text was caught by a trap and this submission passes them, the copy
    goes back to pending, as this submission, unless a moderator has already decided on it."""
    _comment_check_allowed(post=post, parent=parent)
    status, held_reason = _comment_status(body=body, spam_reason=spam_reason)
    submitted = {
        "parent": parent,
        "author_name": author_name,
        "body": body,
        "body_html": render_comment(body),
        "status": status,
        "held_reason": held_reason,
        "ip_address": ip_address,
        "user_agent": user_agent[:500],
    }
    comment, created = Comment.objects.get_or_create(
        post=post, author_email=author_email.strip().lower(), body_hash=comment_body_hash(body), defaults=submitted
    )
    if created or spam_reason:
        return CommentSubmission(comment=comment, created=created)
    # A person sending again what a trap caught (say, sent too fast the first time) must reach the moderators.
    # One conditional UPDATE, so two such submissions at once reopen it (and email the moderators) only once.
    reopened = Comment.objects.filter(
        pk=comment.pk, status=Comment.Status.SPAM, held_reason__in=TRAP_REASONS, moderated_at=None
    ).update(**submitted, created_at=timezone.now(), moderated_by=None, notified_at=None)
    if reopened:
        comment.refresh_from_db()
    return CommentSubmission(comment=comment, created=False, reopened=bool(reopened))


def _comment_check_allowed(*, post: Post, parent: Comment | None) -> None:
    if not post.comments_open:
        raise CommentsClosed(post.pk)
    if parent is not None and not (
        parent.post_id == post.pk and parent.parent_id is None and parent.status == Comment.Status.APPROVED
    ):
        raise ValidationError("Replies may only answer an approved comment on the same post.")


def _comment_status(*, body: str, spam_reason: str) -> tuple[str, str]:
    """The status and held reason a new comment gets: spam when a trap caught it, held for its links."""
    if spam_reason:
        return Comment.Status.SPAM, spam_reason
    if comment_link_count(body) > settings.COMMENT_MAX_LINKS:
        return Comment.Status.PENDING, Comment.HeldReason.LINKS
    return Comment.Status.PENDING, ""


def comment_moderate(*, comment: Comment, status: str, by) -> bool:
    """Set a comment's status, recording who did it and when; False when it already had that status."""
    if comment.status == status:
        return False
    shown_before = comment.status == Comment.Status.APPROVED
    comment.status = status
    comment.moderated_by = by
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    if shown_before or status == Comment.Status.APPROVED:
        page_generations_bump(COMMENTS, comments_of(comment.post.slug))
    return True


def comment_approve(*, comment: Comment, by) -> bool:
    return comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=by)


def comment_reject(*, comment: Comment, by) -> bool:
    return comment_moderate(comment=comment, status=Comment.Status.REJECTED, by=by)


def comment_mark_spam(*, comment: Comment, by) -> bool:
    return comment_moderate(comment=comment, status=Comment.Status.SPAM, by=by)


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(groups__name=MODERATORS_GROUP, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True))) or list(settings.MODERATOR_EMAILS)


def comment_notify_moderators(*, comment: Comment) -> int:
    """Email the moderators about a pending comment and record when; returns how many were emailed (0, and
    nothing recorded, when no moderator has an address).

    SMTP errors propagate so the caller (the task, or notify_pending_comments) can retry."""
    if comment.status != Comment.Status.PENDING or comment.notified_at is not None:
        return 0
    recipients = moderator_emails()
    if not recipients:
        # Left un-notified: once a moderator has an address, notify_pending_comments sends it.
        logger.warning("Comment %s awaits moderation but no moderator has an email address.", comment.pk)
        return 0
    _moderation_email(comment, recipients).send(fail_silently=False)
    comment.notified_at = timezone.now()
    comment.save(update_fields=["notified_at"])
    return len(recipients)


def _moderation_email(comment: Comment, recipients: list[str]) -> EmailMessage:
    site = settings.SITE_URL.rstrip("/")
    title = " ".join(comment.post.title.split())
    lines = [
        f"A new comment on “{title}” awaits moderation.",
        "",
        f"From: {comment.author_name}",
    ]
    if comment.held_reason:
        lines.append(f"Held because: {comment.get_held_reason_display()}")
    lines += [
        "",
        Truncator(comment.body).chars(1000),
        "",
        f"Moderate it: {site}{reverse('admin:articles_comment_change', args=[comment.pk])}",
        f"All comments awaiting moderation: {site}{reverse('admin:articles_comment_changelist')}",
    ]
    return EmailMessage(
        subject=Truncator(f"New comment on “{title}”").chars(150),
        body="\n".join(lines),
        to=recipients,
    )


@dataclass
class PendingNotified:
    sent: int = 0
    unsent: int = 0  # no moderator has an address
    failed: int = 0  # the mail server refused: they stay pending


def comments_notify_pending(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> PendingNotified:
    """Email moderators about pending comments never announced (the broker or the mail server was down, or no
    moderator had an address). Only those older than `older_than`, so the worker's own emails are not doubled."""
    result = PendingNotified()
    cutoff = timezone.now() - older_than
    for comment in Comment.objects.awaiting_notification().filter(created_at__lte=cutoff).select_related("post"):
        try:
            emailed = comment_notify_moderators(comment=comment)
        except OSError:
            logger.exception("Emailing moderators about comment %s failed; it stays pending.", comment.pk)
            result.failed += 1
            continue
        if emailed:
            result.sent += 1
        else:
            result.unsent += 1
    return result
