"""Template filters for rendering posts and comments, and the admin index's moderation count."""

from django import template
from django.utils.html import format_html

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
    """A GitHub figure as printed: 12,345, or an en dash when it is not known (cheaper than `intcomma`)."""
    return "–" if value is None else f"{value:,}"


@register.filter
def change(value):
    """A change in a figure: +77,409, −1,200 (a true minus sign), or a dash when either side is unknown."""
    if value is None:
        return "–"
    return f"+{value:,}" if value > 0 else f"−{-value:,}" if value < 0 else "±0"


@register.filter
def change_percent(value):
    if value is None:
        return ""
    return f"+{value:,.1f}%" if value > 0 else f"−{-value:,.1f}%" if value < 0 else "±0%"


ASCENDING_FIRST = ("rank", "rank_today", "name")


@register.simple_tag
def sort_link(ordering, key, label, fragment=""):
    """A plain link that sorts a list by `key`: figures descending first, ranks and names ascending; the
    current order's link turns it around."""
    descending_first = key not in ASCENDING_FIRST
    current = ordering.key == key
    descending = not ordering.descending if current else descending_first
    query = f"?sort={key}" if descending == descending_first else f"?sort={key}&dir={'desc' if descending else 'asc'}"
    if not current:
        return format_html('<a href="{}{}">{}</a>', query, fragment, label)
    arrow = "↓" if ordering.descending else "↑"
    order = "descending" if ordering.descending else "ascending"
    return format_html(
        '<a href="{}{}" aria-current="true"><strong>{}</strong> <span aria-label="sorted {}">{}</span></a>',
        query,
        fragment,
        label,
        order,
        arrow,
    )


@register.filter
def comment_markdown(text):
    return render_comment(text)


@register.simple_tag
def pending_comment_count(user):
    """For the admin index: how many comments await moderation, or None for users who cannot see comments."""
    if not user.has_perm("articles.view_comment"):
        return None
    return Comment.objects.pending().count()
