"""What a post says of itself to search engines and to the sites it is shared on: a summary for its meta
description and cards, and JSON-LD `Article` data."""

import json
import re

from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from articles.models import Post
from articles.parsing import SERIES_MARKER

SUMMARY_CHARACTERS = 160
SITE_NAME = "Top Python Libraries"
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>]+")
# Escaped as Django's json_script escapes: the data can never close its <script> element.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def post_summary(post: Post) -> str:
    """The subtitle, or the introduction's first paragraph as plain text, cut at a word near 160 characters."""
    if post.subtitle:
        return post.subtitle
    introduction = post.body.split(SERIES_MARKER, 1)[0]
    paragraph = next((p for p in introduction.split("\n\n") if p.strip()), post.title)
    # Raw HTML never reaches a page (the Markdown renderer removes it), so it never reaches the summary either.
    plain = " ".join(_MARKUP.sub("", _LINK.sub(r"\1", strip_tags(paragraph))).split())
    return Truncator(plain).chars(SUMMARY_CHARACTERS)


def article_data(post: Post, *, url: str, logo_url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": post.title,
        "description": post_summary(post),
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": post.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": SITE_NAME, "logo": {"@type": "ImageObject", "url": logo_url}},
    }
    if post.published_on:
        data["datePublished"] = post.published_on.isoformat()
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author}
    if post.series_id:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": post.series.title}
    return data


def json_ld(data: dict) -> SafeString:
    return format_html(
        '<script type="application/ld+json">{}</script>', SafeString(json.dumps(data).translate(_SCRIPT_SAFE))
    )
