"""Times a test states relative to now, so that it means the same on any day (`TEST_CLOCK` moves now)."""

import datetime

from django.utils import formats, timezone


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def as_shown(moment: datetime.datetime, date_format: str) -> str:
    """A moment as a template's `|date:date_format` prints it (in the site's time zone)."""
    return formats.date_format(timezone.localtime(moment), date_format)
