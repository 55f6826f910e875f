"""Two revisions of a post side by side: its fields, then each entry of the ranked list that differs."""

import datetime

from articles.models import ListEntry, Post, Series, Tag
from core.revision_admin import CompareSection
from core.revisions import FieldChange, field_changes, versions_by_model
from libraries.models import Library

POST_FIELDS = [
    "title",
    "subtitle",
    "author",
    "status",
    "published_on",
    "published_time",
    "slug",
    "series",
    "series_position",
    "tags",
    "body",
    "figure_caption",
    "figures_as_of",
    "closing",
    "source_url",
    "comments_closed",
    "comments_close_after_days",
]
ENTRY_FIELDS = ["rank", "printed_name", "contributors", "commits", "stars", "description"]
NOT_IN_LIST = "—"


class _Shown:
    """Values as an editor reads them: names for series and tags, a dash for nothing, figures with commas."""

    def __init__(self, *post_fields: dict):
        tag_ids = {pk for fields in post_fields for pk in fields.get("tags") or []}
        self.tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
        series_ids = {fields.get("series_id") for fields in post_fields} - {None}
        self.series = dict(Series.objects.filter(pk__in=series_ids).values_list("pk", "title"))
        self.statuses = dict(Post.Status.choices)

    def __call__(self, name: str, value) -> str:
        if value is None or value == "":
            return NOT_IN_LIST
        if name == "tags":
            return ", ".join(sorted(self.tags.get(pk, f"#{pk}") for pk in value)) or NOT_IN_LIST
        if name == "series":
            return self.series.get(value, f"#{value}")
        if name == "status":
            return self.statuses.get(value, value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, int) and name in ("contributors", "commits", "stars"):
            return f"{value:,}"
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        return str(value)


def _entries_by_library(revision) -> dict[int, dict]:
    return {fields["library_id"]: fields for fields in (v.field_dict for v in versions_by_model(revision, ListEntry))}


def _entry_rows(older, newer, shown: _Shown) -> list[tuple[str, list[FieldChange]]]:
    before, after = _entries_by_library(older), _entries_by_library(newer)
    names = dict(Library.objects.filter(pk__in=before.keys() | after.keys()).values_list("pk", "name"))
    rows = []
    for library_id in sorted(before.keys() | after.keys(), key=lambda pk: (after.get(pk) or before[pk])["rank"]):
        old, new = before.get(library_id, {}), after.get(library_id, {})
        cells = field_changes(ListEntry, old, new, ENTRY_FIELDS, shown=shown)
        if not old or not new:
            cells.insert(0, FieldChange("In the list", "Yes" if old else "No", "Yes" if new else "No"))
        changed = [cell for cell in cells if cell.changed]
        if changed:
            rows.append((names.get(library_id, f"Library #{library_id}"), changed))
    return rows


def post_revisions_compare(older, newer) -> list[CompareSection]:
    (old_post,) = [version.field_dict for version in versions_by_model(older, Post)]
    (new_post,) = [version.field_dict for version in versions_by_model(newer, Post)]
    shown = _Shown(old_post, new_post)
    return [
        CompareSection("The post", changes=field_changes(Post, old_post, new_post, POST_FIELDS, shown=shown)),
        CompareSection("The ranked list", rows=_entry_rows(older, newer, shown)),
    ]
