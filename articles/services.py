"""Writes to series, posts and tags."""

import datetime

from django.db import transaction
from django.utils.text import slugify

from articles.models import Post, Series, Tag, part_key
from articles.parsing import ParsedArticle, PlanPart
from libraries.models import Library, ListEntry, StatsSnapshot
from libraries.services import LibraryIndex, assign, library_get_or_create, unique_slug

DEFAULT_SERIES_TITLE = "Top Python Libraries"
DEFAULT_SERIES_INTRODUCTION = (
    "Ranked lists of Python libraries, one field at a time, with the GitHub figures each post printed."
)


@transaction.atomic
def article_import(*, article: ParsedArticle) -> Post:
    """Create or update the post, its tags, entries, library links, as-of snapshots and series.

    Saves only what differs, so importing the same file twice changes nothing."""
    series = _series_for(article)
    post = _post_for(article, series)
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
    post = Post.objects.filter(slug=article.slug).first()
    if post is None and series is not None:
        key = part_key(article.title)
        post = next((p for p in series.posts.all() if p.part_key == key), None)
    return post or Post()


def _set_tags(post: Post, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name[:60]})
        tags.append(tag)
    if set(post.tags.all()) != set(tags):
        post.tags.set(tags)


def _set_entries(post: Post, article: ParsedArticle) -> None:
    index = LibraryIndex(Library.objects.all())
    wanted = {
        entry.rank: (library_get_or_create(index=index, name=entry.name, repository=entry.repository), entry)
        for entry in article.entries
    }
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
    StatsSnapshot.objects.filter(post=post, source=StatsSnapshot.Source.ARTICLE).exclude(
        library__in=libraries
    ).delete()


def _set_article_snapshot(post, library, taken_at, figures) -> None:
    snapshot = StatsSnapshot.objects.filter(
        post=post, library=library, source=StatsSnapshot.Source.ARTICLE
    ).first()
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
            slug = existing.slug if existing.title == part.title else unique_slug(
                Post, part.title, instance=existing, max_length=200
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
