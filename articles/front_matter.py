"""The front matter of a post of the series (the YAML between its two '---' lines), read into the post's fields,
each checked against its column; and the dates the series writes ("October 23rd, 2018")."""

import datetime
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from core.import_files import ImportRefused, yaml_compose, yaml_construct

_ATTRIBUTION = re.compile(r"^\s*(?:转载自|reposted from|source)\s*[:：]\s*(https?://\S+)\s*$", re.IGNORECASE)
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y")


class ArticleFormatError(ImportRefused):
    """The file cannot be read as a post; `str()` names the file and line."""


def front_matter_read(lines: list[str], path) -> tuple[dict, int]:
    """The post's fields the front matter gives (as ParsedArticle's keyword arguments), and where the body starts."""
    front, body_start = _front_matter(lines, path)
    header = {
        "title": _required_text(front, "title", lines, path),
        "published_on": _front_matter_date(front, lines, path),
        "author": _text(front, "author", lines, path),
        "series_title": _text(front, "series", lines, path),
        "is_draft": front.get("published") is False,
        "tags": _tags(front, lines, path),
        "subtitle": _text(front, "subtitle", lines, path),
        "source_url": "",
        "catalog": _flag(front, "catalog", lines, path),
    }
    attribution = _ATTRIBUTION.match(header["subtitle"])
    if attribution:  # "转载自: https://…": where the post was first published, not a subtitle
        header["source_url"] = _web_address(attribution.group(1), _key_line(lines, "subtitle"), path)
        header["subtitle"] = ""
    if front.get("source"):
        header["source_url"] = _web_address(str(front["source"]).strip(), _key_line(lines, "source"), path)
    return header, body_start


def parse_as_of_date(raw: str) -> datetime.date | None:
    """'October 23rd, 2018', 'Dec 16, 2018', '2018-10-23' … → a date; None when it is not one."""
    cleaned = _ORDINAL.sub(r"\1", raw.strip().rstrip(").:;"))
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", cleaned)
    try:
        if iso:
            return datetime.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        return None
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, date_format).date()
        except ValueError:
            continue
    return None


def _front_matter(lines, path):
    if not lines or lines[0].strip() != "---":
        raise ArticleFormatError(path, 1, "no front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise ArticleFormatError(path, 1, "the front matter is never closed with a '---' line")
    try:
        node = yaml_compose("\n".join(lines[1:index]), path=path, first_line=2, what="the front matter")
        front = yaml_construct(node, path=path, first_line=2, what="the front matter") or {}
    except ImportRefused as refused:
        raise ArticleFormatError(path, refused.line, refused.message) from refused
    if not isinstance(front, dict):
        raise ArticleFormatError(path, 2, "the front matter must be a set of 'key: value' lines")
    return front, index + 1


def _key_line(lines, key):
    for number, line in enumerate(lines, start=1):
        if re.match(rf"^{key}\s*:", line):
            return number
        if number > 1 and line.strip() == "---":
            return 1
    return 1


# The longest value each front-matter field may hold (the model's column sizes).
FIELD_LIMITS = {"title": 200, "subtitle": 300, "author": 120, "series": 200, "tag": 60, "caption": 300}


def _text(front, key, lines, path) -> str:
    value = str(front.get(key) or "").strip()
    if len(value) > FIELD_LIMITS[key]:
        raise ArticleFormatError(
            path, _key_line(lines, key), f"the {key} is longer than {FIELD_LIMITS[key]} characters"
        )
    return value


def _required_text(front, key, lines, path):
    value = _text(front, key, lines, path)
    if not value:
        raise ArticleFormatError(path, _key_line(lines, key), f"the front matter has no {key}")
    return value


def _flag(front, key, lines, path) -> bool | None:
    value = front.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ArticleFormatError(path, _key_line(lines, key), f"{key} must be true or false, not {value!r}")


def _tags(front, lines, path) -> list[str]:
    raw = front.get("tags") or []
    names = raw.split() if isinstance(raw, str) else raw  # Jekyll reads "tags: a b" as two tags
    if not isinstance(names, list):
        raise ArticleFormatError(path, _key_line(lines, "tags"), "tags must be a list")
    tags = []
    for name in (str(name).strip() for name in names):
        if not name:
            continue
        if not slugify(name, allow_unicode=True) or len(name) > FIELD_LIMITS["tag"] or not name.isprintable():
            raise ArticleFormatError(path, _key_line(lines, "tags"), f"the tag {name!r} cannot name a page")
        tags.append(name)
    return tags


def _web_address(url: str, line: int, path) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ArticleFormatError(path, line, f"the source {url!r} is not an http(s) address") from error
    if len(url) > 500:
        raise ArticleFormatError(path, line, "the source address is longer than 500 characters")
    return url


def _front_matter_date(front, lines, path):
    value = front.get("date")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = parse_as_of_date(str(value)) if value else None
    if parsed is None:
        raise ArticleFormatError(path, _key_line(lines, "date"), f"the date {value!r} is not a date (use YYYY-MM-DD)")
    return parsed


def slug_from_filename(path: Path) -> str:
    slug = slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem))[:200]
    if not slug:
        raise ArticleFormatError(path, None, "the file name gives the post no address (use YYYY-MM-DD-words.md)")
    return slug
