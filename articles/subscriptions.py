"""Notify me: readers ask to hear when a coming part (or any part of a series) is out. Double opt-in with a
signed link; one email per confirmed address and published post, whatever runs twice; a one-click unsubscribe
in every email. What a reader is told never says whether an address was already subscribed."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Announcement, Post, Series, Subscription

CONFIRM_SALT, UNSUBSCRIBE_SALT = "subscription-confirm", "subscription-unsubscribe"
CONFIRM_WITHIN = datetime.timedelta(days=7)  # an unconfirmed address is purged after this, never mailed again


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def confirm_url(subscription: Subscription) -> str:
    token = signing.dumps({"id": subscription.pk, "email": subscription.email}, salt=CONFIRM_SALT)
    return _absolute(reverse("articles:subscription_confirm", kwargs={"token": token}))


def unsubscribe_url(subscription: Subscription) -> str:
    token = signing.dumps({"id": subscription.pk, "email": subscription.email}, salt=UNSUBSCRIBE_SALT)
    return _absolute(reverse("articles:subscription_cancel", kwargs={"token": token}))


def subscription_from(token: str, *, salt: str, max_age=None) -> Subscription | None:
    """The subscription a signed link names; None for a forged, expired or already removed one."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=data.get("id"), email=data.get("email")).first()


def subscription_request(*, email: str, part: Post | None = None, series: Series | None = None) -> Subscription | None:
    """Record the wish; returns the subscription whose confirmation is to be sent now, or None (confirmed
    already, or asked for again within a day)."""
    email = email.strip().lower()
    target = {"part": part} if part is not None else {"series": series}
    try:
        subscription, _ = Subscription.objects.get_or_create(email=email, **target)
    except IntegrityError:  # the same request twice at once
        return None
    recently = subscription.confirmation_sent_at and timezone.now() - subscription.confirmation_sent_at < (
        datetime.timedelta(days=1)
    )
    if subscription.confirmed_at or recently:
        return None
    Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    return subscription


def confirmation_send(subscription: Subscription) -> None:
    what = subscription.part.title if subscription.part else f"new parts of {subscription.series.title}"
    body = render_to_string(
        "articles/email/subscription_confirm.txt", {"what": what, "confirm_url": confirm_url(subscription)}
    )
    EmailMessage(f"Confirm: tell you of {what}", body, to=[subscription.email]).send()


def subscription_confirm(subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def subscription_cancel(subscription: Subscription) -> None:
    subscription.delete()


def subscribers_of(post: Post):
    """Confirmed subscriptions that want this post: to it, or to its series since before it came out (a
    reader who subscribes to a series today is not sent its old parts)."""
    wants = Q(part=post)
    if post.series_id and post.published_on:
        wants |= Q(series=post.series_id, created_at__date__lte=post.published_on)
    return Subscription.objects.filter(wants, confirmed_at__isnull=False).order_by("pk")


def post_announce(post: Post) -> int:
    """Email each confirmed address that wants this post, once ever; returns how many were sent now."""
    if not post.is_readable:
        return 0
    sent = 0
    for subscription in subscribers_of(post):
        sent += _announce_once(post, subscription)
    return sent


def _announce_once(post: Post, subscription: Subscription) -> int:
    with transaction.atomic():
        announcement, _ = Announcement.objects.select_for_update().get_or_create(email=subscription.email, post=post)
        if announcement.sent_at is not None:
            return 0
        _announcement_send(post, subscription)  # a failure rolls back the row: the retry sends it
        announcement.sent_at = timezone.now()
        announcement.save(update_fields=["sent_at"])
    return 1


def _announcement_send(post: Post, subscription: Subscription) -> None:
    leave = unsubscribe_url(subscription)
    body = render_to_string(
        "articles/email/part_published.txt",
        {"post": post, "post_url": _absolute(post.get_absolute_url()), "unsubscribe_url": leave},
    )
    headers = {"List-Unsubscribe": f"<{leave}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    EmailMessage(f"Out now: {post.title}", body, to=[subscription.email], headers=headers).send()


def unconfirmed_purge(now=None) -> int:
    cutoff = (now or timezone.now()) - CONFIRM_WITHIN
    deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


RECENT = datetime.timedelta(days=7)


def recently_published():
    """Posts out in the last week: where a scheduled date arriving may have left subscribers to tell."""
    return Post.objects.published().filter(published_on__gte=timezone.localdate() - RECENT)
