"""What a post page shows, each part computed on first use: a part inside a stored fragment costs no query."""

import datetime
import math
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Comment, ListEntry, Post
from articles.navigation import SeriesPlace, related_posts, series_place
from articles.standings import DEFAULT_ORDERING, Ordering, Standings
from libraries.charts import NARROW, WIDE, BubbleChart, ChartPoint, bubble_chart
from libraries.models import StatsSnapshot
from libraries.trend_charts import Sparkline, TrendPoint, sparkline

TREND_SPAN = datetime.timedelta(days=365)


def stars_trends(library_ids: list[int]) -> dict[int, Sparkline]:
    """Each library's stars over the last year, from GitHub's snapshots: one query for the whole list."""
    since = timezone.now() - TREND_SPAN
    snapshots = (
        StatsSnapshot.objects.filter(library_id__in=library_ids, taken_at__gte=since, stars__isnull=False)
        .order_by("library_id", "taken_at")
        .values_list("library_id", "taken_at", "stars")
    )
    points: dict[int, list[TrendPoint]] = {}
    for library_id, taken_at, stars in snapshots:
        points.setdefault(library_id, []).append(TrendPoint(taken_at, stars))
    return {library_id: line for library_id, series in points.items() if (line := sparkline(series))}


@dataclass
class FigureState:
    """Fig. 1 in one state, as published or today, drawn for a wide screen and for a phone."""

    key: str
    title: str
    when: datetime.date | None
    wide: BubbleChart
    narrow: BubbleChart


def _figure_state(key: str, title: str, when, points: list[ChartPoint]) -> FigureState | None:
    wide = bubble_chart(points, WIDE)
    return wide and FigureState(key, title, when, wide, bubble_chart(points, NARROW))


class PostParts:
    """The parts that change only with the post, its series, its tags or its libraries' figures."""

    def __init__(self, post: Post, ordering: Ordering = DEFAULT_ORDERING):
        self.post, self.ordering = post, ordering

    @cached_property
    def entries(self) -> list[ListEntry]:
        return list(self.post.entries.select_related("library").order_by("rank"))

    @cached_property
    def standings(self) -> Standings:
        return Standings(self.entries, self.ordering, stars_trends([entry.library_id for entry in self.entries]))

    @cached_property
    def figure_states(self) -> list[FigureState]:
        """Fig. 1 as the post published it, and as GitHub's figures of today draw it (when there are any)."""
        published = [ChartPoint(e.rank, e.name, e.commits, e.contributors, e.stars) for e in self.entries]
        refreshed = [e for e in self.entries if e.library.last_refreshed_at]
        today = [
            ChartPoint(e.rank, e.name, e.library.commits, e.library.contributors, e.library.stars) for e in refreshed
        ]
        latest = max((e.library.last_refreshed_at for e in refreshed), default=None)
        states = [
            _figure_state("published", "As published", self.post.figures_as_of or self.post.published_on, published),
            _figure_state("today", "Today", latest and latest.date(), today),
        ]
        return [state for state in states if state]

    @cached_property
    def tags(self) -> list:
        return list(self.post.tags.all())

    @cached_property
    def series_parts(self) -> list[Post]:
        if self.post.series_id is None:
            return []
        return list(self.post.series.posts.in_series_plan().order_by("series_position", "pk"))

    @cached_property
    def series_place(self) -> SeriesPlace | None:
        return series_place(self.post, self.series_parts)

    @cached_property
    def related(self) -> list[Post]:
        return related_posts(self.post)


class CommentPage:
    """One page of a post's approved comments: `per_page` top-level comments, oldest first, each with
    `thread_replies`, its replies. Replies stay on their comment's page, so a page is bounded by its threads."""

    def __init__(self, post: Post, *, number: int, per_page: int):
        self.post, self.number, self.per_page = post, number, per_page

    @cached_property
    def _page_threads(self) -> list[Comment]:
        """This page's top-level comments, each row also carrying the post's totals: one query."""
        start = (self.number - 1) * self.per_page
        replies = (
            Comment.objects.approved()
            .filter(post=self.post, parent__isnull=False)
            .order_by()
            .values("post")
            .annotate(total=Count("pk"))
            .values("total")
        )
        threads = (
            Comment.objects.approved()
            .filter(post=self.post, parent=None)
            .annotate(threads_total=Window(Count("pk")), replies_total=Coalesce(Subquery(replies), 0))
            .order_by("created_at", "pk")
        )
        return list(threads[start : start + self.per_page])

    @cached_property
    def _counts(self) -> dict:
        # A page past the last has no rows to carry the totals: it does not exist, whatever they are.
        first = self._page_threads[0] if self._page_threads else None
        threads = first.threads_total if first else 0
        return {"threads": threads, "total": threads + (first.replies_total if first else 0)}

    @property
    def count(self) -> int:
        """Every comment a reader can see on the post, replies included."""
        return self._counts["total"]

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self._counts["threads"] / self.per_page))

    @property
    def exists(self) -> bool:
        return 1 <= self.number <= self.page_count

    @property
    def is_paginated(self) -> bool:
        return self.page_count > 1

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.page_count else None

    @cached_property
    def threads(self) -> list[Comment]:
        threads = self._page_threads
        approved = Comment.objects.approved().order_by("created_at", "pk")
        by_id = {comment.pk: comment for comment in threads}
        for comment in threads:
            comment.thread_replies = []
        for reply in approved.filter(parent__in=list(by_id)):
            by_id[reply.parent_id].thread_replies.append(reply)
        return threads
