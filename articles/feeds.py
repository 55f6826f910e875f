"""An Atom feed of the published posts."""

from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from articles.markdown import render_markdown
from articles.models import Post
from articles.parsing import SERIES_MARKER
from core.page_cache import CachedPageMixin, generation_token, remembered
from core.page_generations import CONTENT, request_generations


class LatestPostsFeed(CachedPageMixin, Feed):
    feed_type = Atom1Feed
    title = "Top Python Libraries"
    link = reverse_lazy("articles:home")
    subtitle = "Ranked lists of Python libraries, with their GitHub figures."

    def get_object(self, request, *args, **kwargs):
        """The feed's "object" is what its items are looked up under: the content generation."""
        return generation_token(request_generations(request, self.page_dependencies), CONTENT)

    def items(self, content_version):
        return remembered(
            "feed-items", content_version, lambda: list(Post.objects.published().order_by("-published_on", "-pk")[:20])
        )

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return render_markdown(post.body.replace(SERIES_MARKER, ""))

    def item_author_name(self, post):
        return post.author or None

    def item_pubdate(self, post):
        return datetime.combine(post.published_on, time(), tzinfo=UTC)

    def item_updateddate(self, post):
        return post.updated_at
