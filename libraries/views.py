"""Reader pages: every library, and one library with its places in the series and its figures."""

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import Lower
from django.views.generic import DetailView, ListView

from articles.models import Post
from libraries.models import Library, ListEntry, StatsSnapshot

HISTORY_ROWS = 60


def published_entries_prefetch():
    entries = (
        ListEntry.objects.filter(post__in=Post.objects.published())
        .select_related("post")
        .order_by("-post__published_on")
    )
    return Prefetch("entries", queryset=entries, to_attr="published_entries")


class LibraryListView(ListView):
    model = Library
    context_object_name = "libraries"
    orderings = {
        "name": [Lower("name")],
        "stars": [F("stars").desc(nulls_last=True), Lower("name")],
    }

    def get_ordering(self):
        return self.orderings.get(self.request.GET.get("sort"), self.orderings["name"])

    def get_queryset(self):
        libraries = Library.objects.in_published_posts().prefetch_related(published_entries_prefetch())
        return libraries.order_by(*self.get_ordering())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = "stars" if self.request.GET.get("sort") == "stars" else "name"
        return context


class LibraryDetailView(DetailView):
    model = Library

    def get_queryset(self):
        # The latest rows only (one GitHub snapshot a day), each carrying the library's total; still one query.
        history = (
            StatsSnapshot.objects.public()
            .select_related("post")
            .annotate(history_total=Window(Count("pk"), partition_by=F("library_id")))
            .order_by("-taken_at", "-pk")[:HISTORY_ROWS]
        )
        return Library.objects.in_published_posts().prefetch_related(
            published_entries_prefetch(), Prefetch("snapshots", queryset=history, to_attr="history")
        )
