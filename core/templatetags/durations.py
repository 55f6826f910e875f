"""A length of time as words: "15 minutes", "1 hour 30 minutes" (django-axes gives it as a timedelta)."""

from django import template

register = template.Library()


@register.filter
def duration_words(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] * bool(hours) + [f"{minutes} minute{'s' * (minutes != 1)}"] * bool(
        minutes
    )
    return " ".join(parts) or "a moment"
