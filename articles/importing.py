"""Writes what the article importer read: series, posts, tags, ranked lists and the figures they printed."""

import hashlib
import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from articles.drafts import post_draft_discard, post_editing, post_revision_record, post_versions
from articles.models import ListEntry, Post, PostRevision, Series, Tag, part_key
from articles.parsing import ArticleFormatError, ParsedArticle, PlanPart
from core.history import command_change_record
from core.page_generations import CONTENT, page_generations_bump
from core.writes import assign, unique_slug
from libraries.catalogue import LibraryIndex, library_get_or_create
from libraries.models import Library

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
    if not post.catalog:  # joins once off (the default is on): posts imported before it was kept still match
        fields.append("no catalog")
    if post.published_time:  # set only in the admin (articles give a date): an edit, like any other
        fields.append(f"at {post.published_time}")
    tags = sorted(post.tags.values_list("name", flat=True))
    rows = post.entries.order_by("rank").values_list(
        "rank", "library_id", "description", "contributors", "commits", "stars", "printed_name"
    )
    # A printed name joins the fingerprint once set: posts imported before names were kept still match it.
    entries = [list(row[:-1]) + ([row[-1]] if row[-1] else []) for row in rows]
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
    if tracked and not force and post_editing(post).has_draft:
        raise ChangedSinceImport(f"“{post.title}” has a draft in the admin, not yet published")
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
        catalog=article.catalog if article.catalog is not None else bool(article.entries),
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
    if tracked and force:
        post_draft_discard(post)  # the file wins; the draft stays in the history
    if not tracked or before != after:
        post_revision_record(
            post,
            post_versions(post),
            user=None,
            kind=PostRevision.Kind.IMPORTED,
            comment=f"Imported {Path(article.path).name}.",
        )
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
        same_part = [p for p in series.posts.all() if p.part_key == key]
        post = next((p for p in same_part if _is_placeholder(p)), None)
        if post is None and any(p.status == Post.Status.COMING_SOON for p in same_part):
            raise ChangedSinceImport(
                f"“{article.title}” is being written in the admin (its coming-soon post has a ranked list): "
                "the file was not imported beside it"
            )
    return post or Post()


def _is_placeholder(post: Post) -> bool:
    """A part nobody has written yet. Once an editor starts its ranked list in the admin, the part is theirs:
    no import takes it over, renames or retires it."""
    if post.status not in (Post.Status.COMING_SOON, Post.Status.RETIRED, Post.Status.DRAFT):
        return False
    return not post.entries.exists()


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

    for rank, (library, parsed) in wanted.items():
        printed = {
            "printed_name": parsed.name,
            "description": parsed.description,
            "contributors": parsed.contributors,
            "commits": parsed.commits,
            "stars": parsed.stars,
        }
        entry = existing.get(rank) if existing.get(rank) and existing[rank].pk not in stale else None
        if entry is None:
            ListEntry.objects.create(post=post, library=library, rank=rank, **printed)
        elif assign(entry, **printed):
            entry.save()


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
            existing = _create_part(series, part, status=_placeholder_status(part))
            parts[existing.part_key] = existing
        elif existing.status in (Post.Status.COMING_SOON, Post.Status.RETIRED) and _is_placeholder(existing):
            _placeholder_update(existing, part)
        placed[existing.pk] = position

    _retire_unplaced(parts.values(), placed)
    _set_positions(series, placed)


def _retire_unplaced(posts, placed: dict[int, int]) -> None:
    """A coming-soon part the newest plan no longer lists is retired: hidden, kept for editors."""
    for other in posts:
        if other.pk not in placed and other.status == Post.Status.COMING_SOON and _is_placeholder(other):
            other.status = Post.Status.RETIRED
            other.save()


def _placeholder_status(part: PlanPart) -> str:
    return Post.Status.COMING_SOON if part.coming_soon else Post.Status.DRAFT


def _placeholder_update(placeholder: Post, part: PlanPart) -> None:
    """A placeholder follows the newest plan's wording; it has no public page yet, so its slug may follow too."""
    slug = (
        placeholder.slug
        if placeholder.title == part.title
        else unique_slug(Post, part.title, instance=placeholder, max_length=200)
    )
    if assign(placeholder, title=part.title, slug=slug, status=_placeholder_status(part)):
        placeholder.save()


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
