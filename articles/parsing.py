"""Reads a post of the series in its original form (Jekyll front matter + Markdown) into plain data.

Nothing here touches the database: `articles.importing.article_import` writes what this returns.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from articles.front_matter import (
    FIELD_LIMITS,
    ArticleFormatError,
    front_matter_read,
    parse_as_of_date,
    slug_from_filename,
)
from core.import_files import ImportRefused, import_text_check, import_text_read
from libraries.names import split_full_name

FIGURE_LABELS = ("contributors", "commits", "stars")
# The largest figure and rank the columns hold (PostgreSQL integer, smallint).
MAX_FIGURE = 2_147_483_647
MAX_RANK = 32_767

_ENTRY_HEADING = re.compile(r"^(\d+)\.\s+(.+)$")
_FIGURES_IN_PARENS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_FIGURE_LABEL = re.compile(r"\b(contributors|commits|stars)\s*[–—:\-]\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f]\d{3})+$|^\d+$")
_GITHUB_REPO = re.compile(r"github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_FIGURE_CAPTION = re.compile(r"^\*\*\s*(Fig\.?\s*\d+\s*:.*?)\*\*\s*(.*)$", re.IGNORECASE)
_PLAN_LINE = re.compile(r"^(top\b.*?)\s*(?:✅|[–—-]\s*(?:coming soon|this post)\b).*$", re.IGNORECASE)
_DATE_LIKE = (
    r"[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
)
_AS_OF = re.compile(rf"\bas of\s+({_DATE_LIKE})", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
# Where the series' list of parts stood in the prose; the post page shows the live list there.
SERIES_MARKER = "[series]"


@dataclass
class PlanPart:
    title: str
    coming_soon: bool
    is_this_post: bool


@dataclass
class ParsedEntry:
    rank: int
    name: str
    line: int
    contributors: int | None = None
    commits: int | None = None
    stars: int | None = None
    repository: tuple[str, str] | None = None
    description: str = ""


@dataclass
class ParsedArticle:
    path: str
    slug: str
    title: str
    published_on: datetime.date
    subtitle: str = ""
    source_url: str = ""
    author: str = ""
    series_title: str = ""
    is_draft: bool = False
    tags: list[str] = field(default_factory=list)
    body: str = ""
    closing: str = ""
    figure_caption: str = ""
    figures_as_of: datetime.date | None = None
    catalog: bool | None = None  # the front matter's `catalog:`; None when it says nothing
    plan: list[PlanPart] = field(default_factory=list)
    entries: list[ParsedEntry] = field(default_factory=list)


def parse_article_file(path) -> ParsedArticle:
    try:
        text = import_text_read(path)
    except ImportRefused as refused:
        raise ArticleFormatError(refused.path, refused.line, refused.message) from refused
    return parse_article(text, path=path)


def parse_article(text: str, *, path) -> ParsedArticle:
    try:
        import_text_check(text, path=path)
    except ImportRefused as refused:
        raise ArticleFormatError(refused.path, refused.line, refused.message) from refused
    lines = text.replace("\r\n", "\n").split("\n")
    header, body_start = front_matter_read(lines, path)
    article = ParsedArticle(path=str(path), slug=slug_from_filename(Path(path)), **header)
    numbered = list(enumerate(lines[body_start:], start=body_start + 1))
    article.figures_as_of = _figures_as_of(numbered, path)
    heading_indexes = [i for i, (_, line) in enumerate(numbered) if _entry_heading(line)]
    intro = numbered[: heading_indexes[0]] if heading_indexes else numbered
    article.plan = _plan(intro, path)
    article.figure_caption = _figure_caption(intro)
    article.body = _prose(intro, drop_list_lead_in=bool(heading_indexes))

    article.entries, closing_lines = _entries(numbered, heading_indexes, path)
    article.closing = _prose(closing_lines, drop_list_lead_in=False)
    _check_each_ranked_once(article.entries, path)
    if len(article.figure_caption) > FIELD_LIMITS["caption"]:
        article.figure_caption = article.figure_caption[: FIELD_LIMITS["caption"] - 1] + "…"
    return article


def _entries(numbered, heading_indexes, path) -> tuple[list[ParsedEntry], list]:
    """Each entry from its heading to the next; the last one's description ends where the post's closing starts."""
    entries, closing_lines = [], []
    for position, start in enumerate(heading_indexes):
        line_number, line = numbered[start]
        entry = _parse_entry_heading(line, line_number, path)
        is_last = position == len(heading_indexes) - 1
        tail = numbered[start + 1 : len(numbered) if is_last else heading_indexes[position + 1]]
        description_lines = tail
        if is_last:
            description_lines, closing_lines = _split_last_description(tail)
        entry.description = _join(description_lines)
        if entry.repository is None:
            entry.repository = _github_repository(entry.description)
        entries.append(entry)
    return entries, closing_lines


def _check_each_ranked_once(entries: list[ParsedEntry], path) -> None:
    seen_ranks: dict[int, int] = {}
    seen_names: dict[str, int] = {}
    for entry in entries:
        if entry.rank in seen_ranks:
            raise ArticleFormatError(
                path, entry.line, f"rank {entry.rank} is used twice (first on line {seen_ranks[entry.rank]})"
            )
        if entry.name.lower() in seen_names:
            raise ArticleFormatError(
                path, entry.line, f"{entry.name} is ranked twice (first on line {seen_names[entry.name.lower()]})"
            )
        seen_ranks[entry.rank] = entry.line
        seen_names[entry.name.lower()] = entry.line


def _strip_bold(line: str) -> str:
    return line.replace("**", "").replace("__", "").strip()


def _entry_heading(line: str):
    stripped = line.strip()
    if not stripped.startswith("**"):
        return None
    return _ENTRY_HEADING.match(_strip_bold(stripped))


def _parse_entry_heading(line, line_number, path) -> ParsedEntry:
    match = _entry_heading(line)
    digits, rest = match.group(1), match.group(2).strip()
    if len(digits) > 5 or not 1 <= int(digits) <= MAX_RANK:
        raise ArticleFormatError(path, line_number, f"the rank {digits[:12]} is not from 1 to {MAX_RANK}")
    rank = int(digits)
    repository = _github_repository(rest)
    figures_match = _FIGURES_IN_PARENS.match(rest)
    figures: dict[str, int] = {}
    if figures_match and _FIGURE_LABEL.search(figures_match.group(2)):
        rest = figures_match.group(1)
        figures = _parse_figures(figures_match.group(2), line_number, path)
    name = _MARKDOWN_LINK.sub(r"\1", rest).strip(" *_-–—:")
    if not name:
        raise ArticleFormatError(path, line_number, f"entry {rank} has no library name")
    if len(name) > 120:
        raise ArticleFormatError(path, line_number, f"entry {rank}'s library name is longer than 120 characters")
    return ParsedEntry(rank=rank, name=name, line=line_number, repository=repository, **figures)


def _parse_figures(text, line_number, path) -> dict[str, int]:
    labels = list(_FIGURE_LABEL.finditer(text))
    figures: dict[str, int] = {}
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        raw = text[label.end() : end].strip().rstrip(",;").strip()
        key = label.group(1).lower()
        if key in figures:
            raise ArticleFormatError(path, line_number, f"{label.group(1)} is given twice")
        if not _NUMBER.match(raw):
            raise ArticleFormatError(path, line_number, f"{label.group(1)} is not a number: {raw[:40]!r}")
        digits = re.sub(r"\D", "", raw)
        if len(digits) > len(str(MAX_FIGURE)) or int(digits) > MAX_FIGURE:
            raise ArticleFormatError(path, line_number, f"{label.group(1)} is implausibly large: {raw[:40]}")
        figures[key] = int(digits)
    return figures


def _github_repository(text: str) -> tuple[str, str] | None:
    match = _GITHUB_REPO.search(text or "")
    if not match:
        return None
    repo = re.sub(r"\.git$", "", match.group(2).rstrip("."))
    return split_full_name(f"{match.group(1)}/{repo}")


def _figures_as_of(numbered, path) -> datetime.date | None:
    for line_number, line in numbered:
        if _entry_heading(line):
            return None
        match = _AS_OF.search(line)
        if match:
            parsed = parse_as_of_date(match.group(1))
            if parsed is None:
                raise ArticleFormatError(
                    path, line_number, f"the figures' 'as of' date is not a date: {match.group(1)!r}"
                )
            return parsed
    return None


def _plan(intro, path) -> list[PlanPart]:
    parts = []
    for line_number, line in intro:
        cleaned = _strip_bold(line).replace("** **", " ")
        match = _PLAN_LINE.match(cleaned)
        if not match:
            continue
        lowered = cleaned.lower()
        title = match.group(1).strip(" -–—*")
        if len(title) > FIELD_LIMITS["title"]:
            raise ArticleFormatError(
                path, line_number, f"the series part's title is longer than {FIELD_LIMITS['title']} characters"
            )
        parts.append(PlanPart(title=title, coming_soon="coming soon" in lowered, is_this_post="this post" in lowered))
    return parts


def _figure_caption(intro) -> str:
    for _, line in intro:
        match = _FIGURE_CAPTION.match(line.strip())
        if match:
            return " ".join(part for part in (match.group(1).strip(), match.group(2).strip()) if part)
    return ""


def _is_blank(line: str) -> bool:
    return not line.replace("\u00a0", "").strip()


def _blocks(numbered) -> list[list[tuple[int, str]]]:
    blocks, current = [], []
    for item in numbered:
        if _is_blank(item[1]):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(item)
    if current:
        blocks.append(current)
    return blocks


def _prose(numbered, *, drop_list_lead_in: bool) -> str:
    """The post's own words: without the series plan, the hot-linked image, the caption or the figures."""
    kept = []
    for block in _blocks(numbered):
        text = "\n".join(line for _, line in block)
        first = block[0][1].strip()
        if _PLAN_LINE.match(_strip_bold(first)):
            if SERIES_MARKER not in kept:
                kept.append(SERIES_MARKER)
            continue
        if _FIGURE_CAPTION.match(first):
            continue
        text = _IMAGE.sub("", text).strip()
        if text:
            kept.append(text)
    if drop_list_lead_in and kept and kept[-1].rstrip().endswith(":") and _AS_OF.search(kept[-1]):
        kept.pop()
    while kept and re.fullmatch(r"\*\*[^*]+:\*\*", kept[-1].strip()):
        kept.pop()  # a trailing heading such as "**Related:**" that heads nothing
    return "\n\n".join(kept)


def _split_last_description(tail):
    """The last entry's description is its first block, plus what that block announces or leaves open:
    a list after a colon, the rest of an open quotation. What follows is the post's closing."""
    blocks = _blocks(tail)
    taken = 0
    while taken < len(blocks):
        taken += 1
        text = "\n".join(line for block in blocks[:taken] for _, line in block)
        if taken == len(blocks):
            break
        next_is_list = bool(_LIST_ITEM.match(blocks[taken][0][1]))
        announces = text.rstrip().endswith(":") or (_LIST_ITEM.match(blocks[taken - 1][0][1]) and next_is_list)
        quote_open = text.count("“") > text.count("”")
        if not ((announces and next_is_list) or quote_open):
            break
    description = [item for block in blocks[:taken] for item in block + [(0, "")]]
    closing = [item for block in blocks[taken:] for item in block + [(0, "")]]
    return description, closing


def _join(numbered) -> str:
    return "\n\n".join("\n".join(line for _, line in block).strip() for block in _blocks(numbered))
