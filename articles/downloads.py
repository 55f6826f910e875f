"""Each post's list, and each library's figures over time, as CSV and JSON for people who want the data.
Column names are stable: scripts may rely on them. Numbers are exact integers; unknown figures are empty
(CSV) or null (JSON); dates are ISO 8601."""

import csv
import io

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from articles.library_views import HistoryRow, published_entries
from articles.models import Post, libraries_in_published_posts
from articles.standings import Standing, Standings
from libraries.models import StatsSnapshot

LIST_COLUMNS = [
    "rank",
    "name",
    "library",
    "library_url",
    "repository",
    "published_as_of",
    "stars_published",
    "contributors_published",
    "commits_published",
    "today_as_of",
    "stars_today",
    "contributors_today",
    "commits_today",
    "stars_change",
    "contributors_change",
    "commits_change",
    "rank_today",
]
HISTORY_COLUMNS = [
    "date",
    "source",
    "post",
    "post_url",
    "stars",
    "contributors",
    "commits",
    "forks",
    "open_issues",
    "watchers",
]
# A spreadsheet runs a cell that starts with one of these as a formula: text cells get a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def list_row(standing: Standing, post: Post, request) -> dict:
    library, as_of = standing.library, post.figures_as_of or post.published_on
    row = {
        "rank": standing.entry.rank,
        "name": standing.entry.name,
        "library": library.name,
        "library_url": request.build_absolute_uri(library.get_absolute_url()),
        "repository": library.full_name,
        "published_as_of": as_of.isoformat() if as_of else None,
        "today_as_of": library.last_refreshed_at.isoformat() if library.last_refreshed_at else None,
        "rank_today": standing.rank_today,
    }
    for figure in standing.figures:
        row |= {
            f"{figure.name}_published": figure.then,
            f"{figure.name}_today": figure.today,
            f"{figure.name}_change": figure.change,
        }
    return row


def history_row(row: HistoryRow, request) -> dict:
    return {
        "date": row.taken_at.isoformat(),
        "source": "post" if row.post else "github",
        "post": row.post.title if row.post else None,
        "post_url": request.build_absolute_uri(row.post.get_absolute_url()) if row.post else None,
        **{name: getattr(row, name) for name in HISTORY_COLUMNS[4:]},
    }


def post_figures(request, slug: str, fmt: str):
    post = Post.objects.filter(slug=slug).first()
    if post is None or not (post.is_readable or request.user.has_perm("articles.change_post")):
        raise Http404("No published post at this address.")
    standings = Standings(list(post.entries.select_related("library").order_by("rank")))
    rows = [list_row(standing, post, request) for standing in standings.rows]
    about = {"post": post.title, "url": request.build_absolute_uri(post.get_absolute_url())}
    return _respond(rows, LIST_COLUMNS, fmt, filename=f"{post.slug}-figures", about=about)


def library_history(request, slug: str, fmt: str):
    library = get_object_or_404(libraries_in_published_posts(), slug=slug)
    rows = [HistoryRow.of_snapshot(s) for s in StatsSnapshot.objects.filter(library=library)]
    rows += [HistoryRow.of_entry(e) for e in published_entries().filter(library=library) if e.has_figures]
    rows.sort(key=lambda row: row.taken_at, reverse=True)
    about = {"library": library.name, "url": request.build_absolute_uri(library.get_absolute_url())}
    data = [history_row(row, request) for row in rows]
    return _respond(data, HISTORY_COLUMNS, fmt, filename=f"{library.slug}-history", about=about)


def _respond(rows: list[dict], columns: list[str], fmt: str, *, filename: str, about: dict) -> HttpResponse:
    if fmt == "json":
        response = JsonResponse({**about, "columns": columns, "rows": rows}, json_dumps_params={"indent": 1})
    else:
        response = HttpResponse(_csv(rows, columns), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def _csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)
