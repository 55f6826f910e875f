"""What a post page shows, each part computed on first use: a part inside a stored fragment costs no query."""

import math
from functools import cached_property

from django.db.models import Count, Q

from articles.models import Comment, ListEntry, Post
from articles.standings import DEFAULT_ORDERING, Ordering, Standings
from libraries.charts import BubbleChart, bubble_chart


class PostParts:
    """The parts that change only with the post, its series, its tags or its libraries' figures."""

    def __init__(self, post: Post, ordering: Ordering = DEFAULT_ORDERING):
        self.post, self.ordering = post, ordering

    @cached_property
    def entries(self) -> list[ListEntry]:
        return list(self.post.entries.select_related("library").order_by("rank"))

    @cached_property
    def standings(self) -> Standings:
        return Standings(self.entries, self.ordering)

    @cached_property
    def chart(self) -> BubbleChart | None:
        return bubble_chart(self.entries)

    @cached_property
    def tags(self) -> list:
        return list(self.post.tags.all())

    @cached_property
    def series_parts(self) -> list[Post]:
        if self.post.series_id is None:
            return []
        return list(self.post.series.posts.in_series_plan().order_by("series_position", "pk"))


class CommentPage:
    """One page of a post's approved comments: `per_page` top-level comments, oldest first, each with
    `thread_replies`, its replies. Replies stay on their comment's page, so a page is bounded by its threads."""

    def __init__(self, post: Post, *, number: int, per_page: int):
        self.post, self.number, self.per_page = post, number, per_page

    @cached_property
    def _counts(self) -> dict:
        return (
            Comment.objects.approved()
            .filter(post=self.post)
            .aggregate(total=Count("pk"), threads=Count("pk", filter=Q(parent=None)))
        )

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
        start = (self.number - 1) * self.per_page
        approved = Comment.objects.approved().order_by("created_at", "pk")
        threads = list(approved.filter(post=self.post, parent=None)[start : start + self.per_page])
        by_id = {comment.pk: comment for comment in threads}
        for comment in threads:
            comment.thread_replies = []
        for reply in approved.filter(parent__in=list(by_id)):
            by_id[reply.parent_id].thread_replies.append(reply)
        return threads
