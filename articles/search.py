"""Search for readers: published posts and the libraries they rank, by title, words of the text, name or alias,
best matches first, each with a snippet where the words are marked. PostgreSQL ranks with its full-text search
(core.search keeps the vectors); another database matches substrings, every word somewhere."""

import re
from dataclasses import dataclass, replace

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.models import Post, libraries_in_published_posts
from core.search import SEARCH_CONFIG, is_full_text

MAX_QUERY_CHARACTERS = 200
MAX_RESULTS = 100
SNIPPET_CHARACTERS = 200
# Marks the database puts around the matched words: characters no text holds (the query is cleaned of them).
MARK_START, MARK_END = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MARKDOWN = re.compile(r"[*_`#>\[\]]+|\]\([^)]*\)")


@dataclass(frozen=True)
class Result:
    kind: str  # "post" or "library"
    title: str
    url: str
    snippet: SafeString
    score: float


def query_clean(raw: str | None) -> str:
    """What was typed, without control characters (PostgreSQL refuses a NUL), spaces folded, cut to length."""
    return " ".join(_CONTROL.sub(" ", raw or "").split())[:MAX_QUERY_CHARACTERS]


def search(query: str) -> list[Result]:
    if not query:
        return []
    if is_full_text():
        # Words the parser reads otherwise ("builtwith.com" is one token) are still found, ranked after.
        ranked = _full_text(query)
        seen = {result.url for result in ranked}
        results = ranked + [replace(r, score=r.score / 1000) for r in _substrings(query) if r.url not in seen]
    else:
        results = _substrings(query)
    return sorted(results, key=lambda result: -result.score)[:MAX_RESULTS]


def _named(query: str, title: str, names: list[str]) -> float:
    """A boost for what the query names: a library by its name or an alias, a post with every word in its title."""
    words = query.lower().split()
    if query.lower() in {name.lower() for name in names}:
        return 2.0
    return 1.0 if words and all(word in title.lower() for word in words) else 0.0


def _plain(text: str) -> str:
    return " ".join(_MARKDOWN.sub("", strip_tags(text)).split())


def _html(marked: str) -> SafeString:
    """Text with MARK_START/MARK_END around the found words: escaped, the marks made <mark> elements."""
    return mark_safe(escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _marked(text: str) -> SafeString:
    return _html(_plain(text))


def _full_text(query: str) -> list[Result]:
    words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    headline = {"config": SEARCH_CONFIG, "start_sel": MARK_START, "stop_sel": MARK_END, "max_words": 35}
    posts = (
        Post.objects.published()
        .filter(search_vector=words)
        .annotate(
            score=SearchRank(F("search_vector"), words),
            snippet=SearchHeadline(
                Concat("subtitle", Value(" "), "body", Value(" "), "closing", output_field=TextField()),
                words,
                **headline,
            ),
        )
        .order_by("-score")[:MAX_RESULTS]
    )
    text = Concat("name", Value(" "), Cast("aliases", TextField()), Value(" "), "description", output_field=TextField())
    libraries = (
        libraries_in_published_posts()
        .filter(search_vector=words)
        .annotate(score=SearchRank(F("search_vector"), words), snippet=SearchHeadline(text, words, **headline))
        .order_by("-score")[:MAX_RESULTS]
    )
    found = [
        Result("post", p.title, p.get_absolute_url(), _marked(p.snippet), p.score + _named(query, p.title, []))
        for p in posts
    ]
    for library in libraries:
        boost = _named(query, "", [library.name, *library.aliases])  # its name, not words of it
        found.append(
            Result("library", library.name, library.get_absolute_url(), _marked(library.snippet), library.score + boost)
        )
    return found


def _substrings(query: str) -> list[Result]:
    words = query.split()[:10]
    posts = Post.objects.published()
    libraries = libraries_in_published_posts()
    for word in words:
        in_post = Q(title__icontains=word) | Q(subtitle__icontains=word)
        posts = posts.filter(in_post | Q(body__icontains=word) | Q(closing__icontains=word))
        libraries = libraries.filter(
            Q(name__icontains=word) | Q(aliases__icontains=word) | Q(description__icontains=word)
        )
    results = []
    for post in posts[:MAX_RESULTS]:
        text = f"{post.subtitle} {post.body} {post.closing}"
        score = sum(3 * (w.lower() in post.title.lower()) + (w.lower() in text.lower()) for w in words)
        results.append(Result("post", post.title, post.get_absolute_url(), _around(text, words), score))
    for library in libraries[:MAX_RESULTS]:
        names = " ".join([library.name, *library.aliases])
        exact = query.lower() in {name.lower() for name in [library.name, *library.aliases]}
        score = 5 * exact + sum(
            3 * (w.lower() in names.lower()) + (w.lower() in library.description.lower()) for w in words
        )
        text = f"{names} {library.description}"
        results.append(Result("library", library.name, library.get_absolute_url(), _around(text, words), score))
    return results


def _around(text: str, words: list[str]) -> SafeString:
    """About SNIPPET_CHARACTERS of the text around the first word found, every word marked."""
    plain = _plain(text)
    lowered = plain.lower()
    found = [lowered.find(w.lower()) for w in words if w.lower() in lowered]
    start = max(0, min(found, default=0) - SNIPPET_CHARACTERS // 3)
    if start:  # from the start of a word
        start = plain.find(" ", start) + 1 or start
    excerpt = plain[start : start + SNIPPET_CHARACTERS]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", excerpt)
    prefix, suffix = ("… " if start else ""), (" …" if start + SNIPPET_CHARACTERS < len(plain) else "")
    return _html(prefix + marked + suffix)
