"""/sitemap.xml: every published post, every tag a published post has, every library a published post ranks,
and the list pages, each with its last change; /robots.txt points to it and keeps the admin out."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

from articles.models import Post, Tag, libraries_in_published_posts


class PostSitemap(Sitemap):
    changefreq = "daily"  # their figures of today move every day

    def items(self):
        return Post.objects.published().order_by("-published_on", "pk")

    def lastmod(self, post):
        return post.updated_at


class TagSitemap(Sitemap):
    def items(self):
        published = Post.objects.published()
        return (
            Tag.objects.filter(posts__in=published)
            .annotate(last_post_change=Max("posts__updated_at"))
            .order_by("slug")
            .distinct()
        )

    def lastmod(self, tag):
        return tag.last_post_change


class LibrarySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return libraries_in_published_posts().order_by("slug")

    def lastmod(self, library):
        return library.last_refreshed_at


class PageSitemap(Sitemap):
    def items(self):
        return ["articles:home", "libraries:library_list", "articles:archive"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "posts": PostSitemap, "tags": TagSitemap, "libraries": LibrarySitemap}


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        "Disallow: /posts/*/comment/",
        f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('articles:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
