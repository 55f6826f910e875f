"""Template filters for rendering posts."""

from django import template

from articles.markdown import render_markdown
from articles.parsing import SERIES_MARKER

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter
def before_series(text):
    """The body up to where its list of the series' parts stood (all of it when there is none)."""
    return (text or "").split(SERIES_MARKER, 1)[0]


@register.filter
def after_series(text):
    parts = (text or "").split(SERIES_MARKER, 1)
    return parts[1] if len(parts) == 2 else ""


@register.filter
def has_series_marker(text):
    return SERIES_MARKER in (text or "")
