"""Markdown to HTML that is safe to put on a page: nothing the text says can add markup of its own."""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


COMMENT_TAGS = {"a", "br", "code", "em", "p", "pre", "strong"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
COMMENT_LINK_REL = "nofollow ugc noopener"
# Python-Markdown's link pattern costs about (number of "[") x (length of the text): 5,000 "[" take seconds.
# The comment form refuses more than this many, which keeps a 5,000-character comment to a fraction of that.
COMMENT_MAX_BRACKETS = 100


def sanitize_html(
    html: str,
    *,
    link_rel: str = "noopener noreferrer",
    tags: set[str] = ALLOWED_TAGS,
    attributes: dict[str, set[str]] = ALLOWED_ATTRIBUTES,
) -> SafeString:
    return mark_safe(  # nh3 has just removed everything not allow-listed
        nh3.clean(
            html,
            tags=tags,
            attributes=attributes,
            url_schemes=URL_SCHEMES,
            link_rel=link_rel,
        )
    )


# Rendering is a pure function of the text and costs far more than a page's queries: keep recent results.
@lru_cache(maxsize=1024)
def render_markdown(text: str) -> SafeString:
    """Render Markdown and sanitize the result; raw HTML in the source is escaped first."""
    md = markdown_lib.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return sanitize_html(md.convert(text or ""))


@lru_cache(maxsize=1024)
def render_comment(text: str) -> SafeString:
    """A reader's comment: paragraphs, line breaks, emphasis, code and links; everything else stays text.

    Headings, lists, quotes, rules and images are switched off in the parser, so `# title` shows as typed;
    raw HTML is escaped; nh3 then keeps only COMMENT_TAGS and marks links as user content."""
    md = markdown_lib.Markdown(extensions=["fenced_code", "nl2br"])
    md.preprocessors.deregister("html_block")
    for block in ("hashheader", "setextheader", "hr", "olist", "ulist", "quote"):
        md.parser.blockprocessors.deregister(block)
    for inline in ("html", "image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(inline)
    return sanitize_html(
        md.convert(text or ""), link_rel=COMMENT_LINK_REL, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES
    )
