"""Markdown to HTML that is safe to put on a page: nothing the text says can add markup of its own."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str, *, link_rel: str = "noopener noreferrer") -> SafeString:
    return mark_safe(  # noqa: S308 - nh3 has just removed everything not allow-listed
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=link_rel,
        )
    )


def render_markdown(text: str) -> SafeString:
    """Render Markdown and sanitize the result; raw HTML in the source is escaped first."""
    md = markdown_lib.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return sanitize_html(md.convert(text or ""))
