"""Around a post: its place in its series (part N of M, the previous and next published parts) and the posts
related to it by shared tags or libraries."""

from dataclasses import dataclass

from django.db.models import Count, Q

from articles.models import Post

RELATED_POSTS = 3


@dataclass(frozen=True)
class SeriesPlace:
    number: int
    total: int
    previous: Post | None  # the nearest published part before, skipping coming-soon ones
    next: Post | None
    upcoming: Post | None  # the coming-soon part that follows, when no published part does


def series_place(post: Post, parts: list[Post]) -> SeriesPlace | None:
    """Where `post` stands among `parts` (its series' plan in order, published and coming soon)."""
    ids = [part.pk for part in parts]
    if post.pk not in ids:
        return None
    index = ids.index(post.pk)
    before, after = parts[:index], parts[index + 1 :]
    previous = next((part for part in reversed(before) if part.is_readable), None)
    following = next((part for part in after if part.is_readable), None)
    upcoming = None if following else next((p for p in after if p.status == Post.Status.COMING_SOON), None)
    return SeriesPlace(index + 1, len(parts), previous, following, upcoming)


def related_posts(post: Post, limit: int = RELATED_POSTS) -> list[Post]:
    """Published posts sharing the most tags and ranked libraries with `post`, newest first among equals;
    one query."""
    shared_tags = Count("tags", filter=Q(tags__in=post.tags.values("pk")), distinct=True)
    shared_libraries = Count("entries", filter=Q(entries__library__in=post.entries.values("library")), distinct=True)
    related = (
        Post.objects.published()
        .exclude(pk=post.pk)
        .annotate(shared_tags=shared_tags, shared_libraries=shared_libraries)
        .filter(Q(shared_tags__gt=0) | Q(shared_libraries__gt=0))
        .order_by("-shared_libraries", "-shared_tags", "-published_on", "-pk")
    )
    return list(related[:limit])
