"""When reader pages change with nobody saving anything: what the page cache's content generation is scheduled by."""

import datetime

from django.db.models import Case, F, Q, When
from django.utils import timezone

from articles.models import Post


def next_visibility_change() -> datetime.datetime | None:
    """The next moment readers see something change that nobody saves: a published post's date (and time)
    arriving, its comments closing `comments_close_after_days` after it, or a live post's draft set to be
    published then (the task publishes it; no cache may keep the page past it). None when nothing is scheduled."""
    now, today = timezone.now(), timezone.localdate()
    # One query: posts still to come out, published ones whose comments close on their own, drafts set for a time.
    out = Q(status=Post.Status.PUBLISHED, published_on__isnull=False)
    draft_due = Q(editing__draft__isnull=False, editing__draft_publish_at__gt=now)
    candidates = Post.objects.filter(
        out & (Q(published_on__gte=today) | Q(comments_closed=False, comments_close_after_days__isnull=False))
        | draft_due
    ).annotate(draft_due=Case(When(draft_due, then=F("editing__draft_publish_at"))))
    moments = []
    for post in candidates.only("status", "published_on", "published_time", "comments_close_after_days"):
        if post.draft_due is not None:
            moments.append(post.draft_due)
        if post.status != Post.Status.PUBLISHED or post.published_on is None:
            continue
        if post.comes_out_at > now:
            moments.append(post.comes_out_at)
        elif post.comments_close_after_days is not None:
            closes_on = post.published_on + datetime.timedelta(days=post.comments_close_after_days + 1)
            if closes_on > today:
                moments.append(timezone.make_aware(datetime.datetime.combine(closes_on, datetime.time.min)))
    return min(moments, default=None)
