"""How the pages say when a library's GitHub figures were fetched."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def figures_when(library) -> str:
    """ "today" for recent figures; "as of Nov 23, 2026" for figures kept from an older refresh."""
    if library.figures_are_today or not library.last_refreshed_at:
        return "today"
    fetched = timezone.localtime(library.last_refreshed_at)
    return format_html(
        'as of <time datetime="{}">{}</time>', fetched.date().isoformat(), date_format(fetched, "M j, Y")
    )


@register.filter
def today_figure(library, name: str) -> str:
    """A GitHub figure beside the one a post printed: "75,000 today", or nothing before any refresh."""
    value = getattr(library, name)
    if not library.last_refreshed_at or value is None:
        return ""
    return format_html('<dd class="today">{} {}</dd>', f"{value:,}", figures_when(library))


@register.filter
def svg(value) -> str:
    """A coordinate for SVG, to a tenth of a unit (far cheaper than `floatformat`, which charts call a lot)."""
    return f"{value:.1f}"


@register.filter
def thousands(value) -> str:
    """12,345 (what `intcomma` gives, without its localisation machinery)."""
    return f"{value:,}"
