"""Reader pages: the series, a post, a tag."""

from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from articles.models import Post, Series, Tag
from libraries.charts import bubble_chart
from libraries.models import ListEntry


def series_parts_prefetch():
    return Prefetch(
        "posts",
        queryset=Post.objects.in_series_plan().order_by("series_position", "pk"),
        to_attr="parts",
    )


def ranked_entries_prefetch(lookup="entries"):
    entries = ListEntry.objects.select_related("library").order_by("rank")
    return Prefetch(lookup, queryset=entries, to_attr="ranked_entries")


class PostViewMixin:
    """Readers get published posts; staff may preview any post through the same page."""

    def get_queryset(self):
        posts = Post.objects.all()
        if not self.request.user.is_staff:
            posts = posts.published()
        return posts


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series_list"] = Series.objects.prefetch_related(
            series_parts_prefetch(), ranked_entries_prefetch("parts__entries")
        )
        context["standalone_posts"] = Post.objects.published().filter(series=None)
        return context


class PostDetailView(PostViewMixin, DetailView):
    model = Post

    def get_queryset(self):
        return super().get_queryset().select_related("series").prefetch_related("tags", ranked_entries_prefetch())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = bubble_chart(self.object.ranked_entries)
        series = self.object.series
        if series is not None:
            context["series_parts"] = list(
                series.posts.in_series_plan().order_by("series_position", "pk")
            )
        return context


class TagDetailView(DetailView):
    model = Tag

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posts"] = self.object.posts.published().select_related("series")
        return context
