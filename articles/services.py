"""Writes to series, posts, tags and comments."""

import datetime
import hashlib
import json
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from articles.markdown import render_comment
from articles.models import Comment, Post, Series, Tag, part_key
from articles.parsing import ArticleFormatError, ParsedArticle, PlanPart
from core.history import command_change_record
from core.page_cache import COMMENTS, CONTENT, comments_of, page_generations_bump
from core.writes import assign, unique_slug
from libraries.catalogue import LibraryIndex, library_get_or_create
from libraries.models import Library, ListEntry, StatsSnapshot

DEFAULT_SERIES_TITLE = "Top Python Libraries"
DEFAULT_SERIES_INTRODUCTION = (
    "Ranked lists of Python libraries, one field at a time, with the GitHub figures each post printed."
)


class ChangedSinceImport(Exception):
    """The post was changed (in the admin) since it was imported: an import leaves it as it is."""


def post_fingerprint(post: Post) -> str:
    """A hash of everything an import writes to a post: its fields, tags and ranked list."""
    fields = [
        post.series_id,
        post.title,
        post.slug,
        post.subtitle,
        post.author,
        post.source_url,
        post.body,
        post.closing,
        post.figure_caption,
        post.status,
        post.published_on,
        post.figures_as_of,
    ]
    tags = sorted(post.tags.values_list("name", flat=True))
    entries = list(
        post.entries.order_by("rank").values_list(
            "rank", "library_id", "description", "contributors", "commits", "stars"
        )
    )
    return hashlib.sha256(json.dumps([fields, tags, entries], default=str).encode()).hexdigest()


@transaction.atomic
def article_import(*, article: ParsedArticle, force: bool = False) -> Post:
    """Create or update the post, its tags, entries, library links, as-of snapshots and series.

    Saves only what differs, so importing the same file twice changes nothing. A post changed since it was
    imported (its fingerprint is no longer the one the import recorded) is left alone: ChangedSinceImport,
    and nothing of the file is written. So is a post imported before fingerprints were kept, when the file
    would change it. `force` overwrites, and says so in the post's admin history."""
    series = _series_for(article)
    post = _post_for(article, series)
    tracked = post.pk is not None and not _is_placeholder(post)
    before = post_fingerprint(post) if tracked else ""
    if tracked and not force and post.imported_hash and before != post.imported_hash:
        raise ChangedSinceImport(f"“{post.title}” was changed in the admin since it was imported")
    status = Post.Status.DRAFT if article.is_draft else Post.Status.PUBLISHED
    changed = assign(
        post,
        series=series,
        title=article.title,
        slug=article.slug,
        subtitle=article.subtitle,
        author=article.author,
        source_url=article.source_url,
        body=article.body,
        closing=article.closing,
        figure_caption=article.figure_caption,
        status=status,
        published_on=article.published_on,
        figures_as_of=article.figures_as_of,
    )
    if changed or post.pk is None:
        post.save()
    _set_tags(post, article.tags)
    _set_entries(post, article)
    if series is not None:
        _apply_plan(series, post, article)
    after = post_fingerprint(post)
    if tracked and not post.imported_hash and before != after and not force:
        raise ChangedSinceImport(f"“{post.title}” was imported before changes were tracked, and differs from the file")
    if tracked and force and before != after:
        command_change_record(obj=post, message=f"Overwritten by import_article --force from {article.path}")
    Post.objects.filter(pk=post.pk).update(imported_hash=after)
    post.imported_hash = after
    page_generations_bump(CONTENT)
    return post


def _series_for(article: ParsedArticle) -> Series | None:
    title = article.series_title or (DEFAULT_SERIES_TITLE if article.plan else "")
    if not title:
        return None
    introduction = DEFAULT_SERIES_INTRODUCTION if title == DEFAULT_SERIES_TITLE else ""
    series, _ = Series.objects.get_or_create(
        slug=slugify(title), defaults={"title": title, "introduction": introduction}
    )
    return series


def _post_for(article: ParsedArticle, series: Series | None) -> Post:
    """The post this file is: the one at its address, else the series' placeholder for its part.

    Only a placeholder (coming soon, retired, or a draft stub without entries) is taken over by a
    title match; a written post with a similar title ("Top 9 …" after "Top 8 …") is never overwritten."""
    post = Post.objects.filter(slug=article.slug).first()
    if post is None and series is not None:
        key = part_key(article.title)
        post = next((p for p in series.posts.all() if p.part_key == key and _is_placeholder(p)), None)
    return post or Post()


def _is_placeholder(post: Post) -> bool:
    if post.status in (Post.Status.COMING_SOON, Post.Status.RETIRED):
        return True
    return post.status == Post.Status.DRAFT and not post.entries.exists()


def _set_tags(post: Post, names: list[str]) -> None:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name, allow_unicode=True)[:60], defaults={"name": name})
        tags.append(tag)
    if set(post.tags.all()) != set(tags):
        post.tags.set(tags)


def _set_entries(post: Post, article: ParsedArticle) -> None:
    index = LibraryIndex(Library.objects.all())
    wanted, lines_by_library = {}, {}
    for entry in article.entries:
        library = library_get_or_create(index=index, name=entry.name, repository=entry.repository)
        if library.pk in lines_by_library:
            raise ArticleFormatError(
                article.path,
                entry.line,
                f"{entry.name} is {library.name}, already ranked on line {lines_by_library[library.pk]}",
            )
        lines_by_library[library.pk] = entry.line
        wanted[entry.rank] = (library, entry)
    existing = {entry.rank: entry for entry in post.entries.all()}
    stale = [e.pk for rank, e in existing.items() if rank not in wanted or wanted[rank][0].pk != e.library_id]
    ListEntry.objects.filter(pk__in=stale).delete()

    taken_at = _as_of_datetime(article.figures_as_of or article.published_on)
    for rank, (library, parsed) in wanted.items():
        figures = {"contributors": parsed.contributors, "commits": parsed.commits, "stars": parsed.stars}
        entry = existing.get(rank) if existing.get(rank) and existing[rank].pk not in stale else None
        if entry is None:
            ListEntry.objects.create(post=post, library=library, rank=rank, description=parsed.description, **figures)
        elif assign(entry, description=parsed.description, **figures):
            entry.save()
        _set_article_snapshot(post, library, taken_at, figures)

    libraries = [library.pk for library, _ in wanted.values()]
    StatsSnapshot.objects.filter(post=post, source=StatsSnapshot.Source.ARTICLE).exclude(library__in=libraries).delete()


def _set_article_snapshot(post, library, taken_at, figures) -> None:
    snapshot = StatsSnapshot.objects.filter(post=post, library=library, source=StatsSnapshot.Source.ARTICLE).first()
    if all(value is None for value in figures.values()):
        if snapshot:
            snapshot.delete()
        return
    if snapshot is None:
        StatsSnapshot.objects.create(
            post=post, library=library, source=StatsSnapshot.Source.ARTICLE, taken_at=taken_at, **figures
        )
    elif assign(snapshot, taken_at=taken_at, **figures):
        snapshot.save()


def _as_of_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _apply_plan(series: Series, post: Post, article: ParsedArticle) -> None:
    """The newest post's list of parts decides the series' order and placeholders; an older post's
    list only adds the parts it alone names, as retired placeholders kept for editors."""
    parts = {p.part_key: p for p in series.posts.exclude(pk=post.pk)}
    is_newest = series.plan_date is None or article.published_on >= series.plan_date
    if not is_newest:
        for part in article.plan:
            if part_key(part.title) not in parts and not _is_this_post(part, post):
                _create_part(series, part, status=Post.Status.RETIRED)
        return

    if assign(series, plan_date=article.published_on):
        series.save(update_fields=["plan_date"])
    placed: dict[int, int] = {}  # post pk → position
    for position, part in enumerate(article.plan, start=1):
        if _is_this_post(part, post):
            placed[post.pk] = position
            continue
        existing = parts.get(part_key(part.title))
        if existing is None:
            status = Post.Status.COMING_SOON if part.coming_soon else Post.Status.DRAFT
            existing = _create_part(series, part, status=status)
            parts[existing.part_key] = existing
        elif existing.status in (Post.Status.COMING_SOON, Post.Status.RETIRED):
            status = Post.Status.COMING_SOON if part.coming_soon else Post.Status.DRAFT
            # A placeholder has no public page yet, so its slug may follow the newest wording.
            slug = (
                existing.slug
                if existing.title == part.title
                else unique_slug(Post, part.title, instance=existing, max_length=200)
            )
            if assign(existing, title=part.title, slug=slug, status=status):
                existing.save()
        placed[existing.pk] = position

    for other in parts.values():
        if other.pk not in placed and other.status == Post.Status.COMING_SOON:
            other.status = Post.Status.RETIRED
            other.save()
    _set_positions(series, placed)


def _set_positions(series: Series, placed: dict[int, int | None]) -> None:
    current = dict(series.posts.values_list("pk", "series_position"))
    wanted = {pk: placed.get(pk) for pk in current}
    if wanted == current:
        return
    series.posts.filter(pk__in=[pk for pk in current if current[pk] != wanted[pk]]).update(series_position=None)
    for pk, position in wanted.items():
        if position is not None and current[pk] != position:
            Post.objects.filter(pk=pk).update(series_position=position)


def _is_this_post(part: PlanPart, post: Post) -> bool:
    return part.is_this_post or part_key(part.title) == post.part_key


def _create_part(series: Series, part: PlanPart, *, status: str) -> Post:
    return Post.objects.create(
        series=series,
        title=part.title,
        slug=unique_slug(Post, part.title, max_length=200),
        status=status,
    )


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
    if not post.comments_open:
        raise CommentsClosed(post.pk)
    if parent is not None and not (
        parent.post_id == post.pk and parent.parent_id is None and parent.status == Comment.Status.APPROVED
    ):
        raise ValidationError("Replies may only answer an approved comment on the same post.")

    if spam_reason:
        status, held_reason = Comment.Status.SPAM, spam_reason
    elif comment_link_count(body) > settings.COMMENT_MAX_LINKS:
        status, held_reason = Comment.Status.PENDING, Comment.HeldReason.LINKS
    else:
        status, held_reason = Comment.Status.PENDING, ""
    comment, created = Comment.objects.get_or_create(
        post=post,
        author_email=author_email.strip().lower(),
        body_hash=comment_body_hash(body),
        defaults={
            "parent": parent,
            "author_name": author_name,
            "body": body,
            "body_html": render_comment(body),
            "status": status,
            "held_reason": held_reason,
            "ip_address": ip_address,
            "user_agent": user_agent[:500],
        },
    )
    if created or spam_reason:
        return CommentSubmission(comment=comment, created=created)
    # A person sending again what a trap caught (say, sent too fast the first time) must reach the moderators.
    # One conditional UPDATE, so two such submissions at once reopen it (and email the moderators) only once.
    reopened = Comment.objects.filter(
        pk=comment.pk, status=Comment.Status.SPAM, held_reason__in=TRAP_REASONS, moderated_at=None
    ).update(
        status=status,
        held_reason=held_reason,
        parent=parent,
        author_name=author_name,
        body=body,
        body_html=render_comment(body),
        ip_address=ip_address,
        user_agent=user_agent[:500],
        created_at=timezone.now(),
        moderated_by=None,
        notified_at=None,
    )
    if reopened:
        comment.refresh_from_db()
    return CommentSubmission(comment=comment, created=False, reopened=bool(reopened))


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
