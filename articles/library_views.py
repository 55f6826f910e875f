"""Reader pages: every library, and one library with its places in the series and its figures over time.
They live here, not in libraries/, because they show posts: the libraries app knows nothing of them."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView

from articles.models import ListEntry, Post, libraries_in_published_posts
from core.page_cache import CachedPageMixin, one_of, remembered
from core.page_generations import CONTENT, FIGURES
from libraries.models import Library, StatsSnapshot
from libraries.trend_charts import HISTORY_NARROW_WIDTH, HISTORY_WIDTH, HistoryChart, TrendPoint, history_chart

HISTORY_ROWS = 60


def published_entries():
    return ListEntry.objects.published().select_related("post").order_by("-post__published_on")


@dataclass(frozen=True)
class HistoryRow:
    """One line of a library's figures over time: a GitHub snapshot, or what a post printed."""

    taken_at: datetime.datetime
    post: Post | None = None
    stars: int | None = None
    contributors: int | None = None
    commits: int | None = None
    forks: int | None = None
    open_issues: int | None = None
    watchers: int | None = None

    @classmethod
    def of_snapshot(cls, snapshot: StatsSnapshot) -> "HistoryRow":
        figures = ("stars", "contributors", "commits", "forks", "open_issues", "watchers")
        return cls(snapshot.taken_at, **{name: getattr(snapshot, name) for name in figures})

    @classmethod
    def of_entry(cls, entry: ListEntry) -> "HistoryRow":
        # Noon UTC of the "as of" day, so the date reads the same in any time zone near it.
        taken_at = datetime.datetime.combine(entry.figures_as_of, datetime.time(12), tzinfo=datetime.UTC)
        return cls(taken_at, entry.post, stars=entry.stars, contributors=entry.contributors, commits=entry.commits)


def public_library_slugs(content_version: str) -> frozenset[str]:
    """The libraries a published post ranks, worked out once per content generation."""
    return remembered(
        "public-library-slugs",
        content_version,
        lambda: frozenset(libraries_in_published_posts().values_list("slug", flat=True)),
    )


class LibraryParts:
    """What a library page shows besides the library itself, queried only when its fragment is rendered."""

    def __init__(self, library: Library):
        self.library = library

    @cached_property
    def published_entries(self) -> list[ListEntry]:
        return list(published_entries().filter(library=self.library))

    @cached_property
    def _snapshots(self) -> list[StatsSnapshot]:
        # The latest only (one GitHub snapshot a day), each carrying the library's total; still one query.
        snapshots = (
            StatsSnapshot.objects.filter(library=self.library)
            .annotate(history_total=Window(Count("pk")))
            .order_by("-taken_at", "-pk")
        )
        return list(snapshots[:HISTORY_ROWS])

    @cached_property
    def history(self) -> list[HistoryRow]:
        """GitHub's snapshots and the figures published posts printed, newest first, the latest HISTORY_ROWS."""
        rows = [HistoryRow.of_snapshot(snapshot) for snapshot in self._snapshots]
        rows += [HistoryRow.of_entry(entry) for entry in self.published_entries if entry.has_figures]
        rows.sort(key=lambda row: row.taken_at, reverse=True)
        return rows[:HISTORY_ROWS]

    @cached_property
    def history_total(self) -> int:
        printed = sum(1 for entry in self.published_entries if entry.has_figures)
        return (self._snapshots[0].history_total if self._snapshots else 0) + printed

    @cached_property
    def history_charts(self) -> list[HistoryChart]:
        """Stars, contributors and commits over the whole history (one query), the posts' figures marked;
        drawn for a wide screen and for a phone."""
        figures = ("stars", "contributors", "commits")
        series = {name: [] for name in figures}
        snapshots = StatsSnapshot.objects.filter(library=self.library).order_by("taken_at")
        for taken_at, *values in snapshots.values_list("taken_at", *figures):
            for name, value in zip(figures, values, strict=True):
                if value is not None:
                    series[name].append(TrendPoint(taken_at, value))
        for entry in self.published_entries:
            row = HistoryRow.of_entry(entry)
            for name in figures:
                if getattr(row, name) is not None:
                    series[name].append(TrendPoint(row.taken_at, getattr(row, name), printed=True))
        series = {name.capitalize(): points for name, points in series.items()}
        charts = [history_chart(series, HISTORY_WIDTH), history_chart(series, HISTORY_NARROW_WIDTH)]
        return [chart for chart in charts if chart]

    @cached_property
    def placings(self) -> list[tuple[ListEntry, int | None]]:
        """Each published post that ranks the library, with its rank then and the one it has today by stars
        among that post's libraries (None before it has figures of today); one query for every post."""
        posts = [entry.post_id for entry in self.published_entries]
        stars_by_post: dict[int, list[tuple[int, int]]] = {}
        rows = ListEntry.objects.filter(post__in=posts, library__last_refreshed_at__isnull=False)
        for post_id, library_id, stars in rows.values_list("post_id", "library_id", "library__stars"):
            if stars is not None:
                stars_by_post.setdefault(post_id, []).append((library_id, stars))
        placings = []
        for entry in self.published_entries:
            ranked = dict(stars_by_post.get(entry.post_id, []))
            mine = ranked.get(self.library.pk)
            placings.append((entry, None if mine is None else 1 + sum(1 for s in ranked.values() if s > mine)))
        return placings


class LibraryListView(CachedPageMixin, ListView):
    model = Library
    template_name = "libraries/library_list.html"
    context_object_name = "libraries"
    page_dependencies = (CONTENT, FIGURES)
    page_query_parameters = {"sort": one_of("stars")}  # by name otherwise
    orderings = {
        "name": [Lower("name")],
        "stars": [F("stars").desc(nulls_last=True), Lower("name")],
    }

    def get_ordering(self):
        return self.orderings.get(self.request.GET.get("sort"), self.orderings["name"])

    def get_queryset(self):
        def libraries():
            entries = Prefetch("entries", queryset=published_entries(), to_attr="published_entries")
            return libraries_in_published_posts().prefetch_related(entries).order_by(*self.get_ordering())

        # Built and run only when the stored fragment is out of date.
        return SimpleLazyObject(libraries)

    def get_template_names(self):
        return [self.template_name]  # ListView's would look at the queryset, and so run it

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = "stars" if self.request.GET.get("sort") == "stars" else "name"
        # Asked only when the stored fragment is out of date (templates call a callable).
        context["no_figures_yet"] = lambda: not Library.objects.filter(last_refreshed_at__isnull=False).exists()
        context["fragment_version"] = self.fragment_version(CONTENT, FIGURES)
        return context


class LibraryDetailView(CachedPageMixin, DetailView):
    model = Library
    page_dependencies = (CONTENT, FIGURES)

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        if slug not in public_library_slugs(self.fragment_version(CONTENT)):
            raise Http404("No published post ranks a library at this address.")
        return remembered(
            f"library:{slug}", self.fragment_version(CONTENT, FIGURES), lambda: Library.objects.get(slug=slug)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parts"] = LibraryParts(self.object)
        context["fragment_version"] = self.fragment_version(CONTENT, FIGURES)
        return context
