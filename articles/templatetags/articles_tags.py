"""Template filters for rendering posts and comments, and the admin index's moderation count."""

from django import template

from articles.markdown import render_comment, render_markdown
from articles.models import Comment
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
def figure(value):
    """A GitHub figure as printed: 12,345, or a dash when it is not known (cheaper than `intcomma`)."""
    return "—" if value is None else f"{value:,}"


@register.filter
def comment_markdown(text):
    return render_comment(text)


@register.simple_tag
def pending_comment_count(user):
    """For the admin index: how many comments await moderation, or None for users who cannot see comments."""
    if not user.has_perm("articles.view_comment"):
        return None
    return Comment.objects.pending().count()
