"""The date archive: every month with published posts, and the posts of a year or a month, paginated.
Tag pages share the pagination: POSTS_PER_PAGE newest first."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.views.generic import MonthArchiveView, TemplateView, YearArchiveView

from articles.models import Post
from core.page_cache import CachedPageMixin, NotAValue, page_number
from core.page_generations import CONTENT

POSTS_PER_PAGE = 10


def page_of(posts, request, per_page: int = POSTS_PER_PAGE):
    """One page of `posts` (`?page=N`); a page that is not there is a 404."""
    try:
        return Paginator(posts, per_page).page(int(page_number(request.GET.get("page", "1"))))
    except (NotAValue, InvalidPage) as error:
        raise Http404("No such page.") from error


def published_newest_first():
    return Post.objects.published().select_related("series").order_by("-published_on", "-pk")


class ArchiveIndexView(CachedPageMixin, TemplateView):
    template_name = "articles/archive_index.html"
    page_dependencies = (CONTENT,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        months = Post.objects.published().dates("published_on", "month", "DESC")
        context["months"] = SimpleLazyObject(lambda: list(months))
        context["fragment_version"] = self.fragment_version(CONTENT)
        return context


class PostArchiveMixin(CachedPageMixin):
    date_field = "published_on"
    paginate_by = POSTS_PER_PAGE
    allow_empty = False
    page_dependencies = (CONTENT,)
    page_query_parameters = {"page": page_number}
    template_name = "articles/archive.html"

    def get_queryset(self):
        return published_newest_first()

    def paginate_queryset(self, queryset, page_size):
        try:  # the same page numbers the page cache stores: nothing Django would read more loosely (" 1")
            page_number(self.request.GET.get("page", "1"))
        except NotAValue as error:
            raise Http404("No such page.") from error
        return super().paginate_queryset(queryset, page_size)


class PostYearArchiveView(PostArchiveMixin, YearArchiveView):
    make_object_list = True


class PostMonthArchiveView(PostArchiveMixin, MonthArchiveView):
    month_format = "%m"
