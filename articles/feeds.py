"""Feeds of the published posts, Atom and RSS, for the whole site and for each series: full content (the
introduction, the ranked list with its figures, the closing), stable GUIDs and the posts' own dates. A
browser opening one is given an XSL stylesheet that shows it as a page."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SimplerXMLGenerator

from articles.models import ListEntry, Post, Series
from core.page_cache import CachedPageMixin, generation_token, remembered
from core.page_generations import CONTENT, request_generations

FEED_ITEMS = 20
SITE_TITLE = "Top Python Libraries"
SITE_DESCRIPTION = "Ranked lists of Python libraries, with their GitHub figures then and now."


# Served as XML, not as application/rss+xml or atom+xml: a browser then applies the stylesheet and shows a page,
# where it would show the source or download the file; feed readers read the document, whatever its type.
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"


class StyledRssFeed(Rss201rev2Feed):
    content_type = FEED_CONTENT_TYPE


class StyledAtomFeed(Atom1Feed):
    """Atom with the stylesheet RSS gets from Django (its Atom writer names none)."""

    content_type = FEED_CONTENT_TYPE

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


@dataclass(frozen=True)
class FeedSubject:
    """What a feed is of: the whole site or one series, at one content generation."""

    content_version: str
    series: Series | None


class PostsFeed(CachedPageMixin, Feed):
    feed_type = StyledAtomFeed
    page_dependencies = (CONTENT,)

    def __call__(self, request, *args, **kwargs):
        """The XML is written once a content generation (what fragments are to a page) and kept."""
        subject = self.get_object(request, *args, **kwargs)
        key = f"feed-xml:{self.feed_type.__name__}:{subject.series.slug if subject.series else ''}"
        xml = remembered(key, subject.content_version, lambda: Feed.__call__(self, request, *args, **kwargs).content)
        return HttpResponse(xml, content_type=FEED_CONTENT_TYPE)

    def get_object(self, request, slug=None):
        version = generation_token(request_generations(request, self.page_dependencies), CONTENT)
        if slug is None:
            return FeedSubject(version, None)
        series = remembered(f"series:{slug}", version, lambda: Series.objects.filter(slug=slug).first())
        if series is None:
            raise Http404("No series at this address.")
        return FeedSubject(version, series)

    def title(self, subject):
        return f"{subject.series.title} · {SITE_TITLE}" if subject.series else SITE_TITLE

    def link(self, subject):
        return reverse("articles:home")

    def description(self, subject):
        return subject.series.introduction or SITE_DESCRIPTION if subject.series else SITE_DESCRIPTION

    subtitle = description

    def stylesheets(self):
        return [static("feeds/feed.xsl")]

    def items(self, subject):
        def posts():
            published = Post.objects.published().order_by("-published_on", "-pk")
            if subject.series:
                published = published.filter(series=subject.series)
            ranked = ListEntry.objects.select_related("library").order_by("rank")
            entries = Prefetch("entries", queryset=ranked, to_attr="ranked_entries")
            posts = list(published.prefetch_related(entries, "tags")[:FEED_ITEMS])
            for post in posts:  # rendered once a content generation, kept with the items
                post.feed_html = render_to_string("articles/feed_item.html", {"obj": post})
            return posts

        key = f"feed-items:{subject.series.slug if subject.series else ''}"
        return remembered(key, subject.content_version, posts)

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.feed_html

    def item_author_name(self, post):
        return post.author or None

    def item_pubdate(self, post):
        return post.comes_out_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_guid(self, post):
        """A tag URI from the site's host, the post's date and its id: it outlives a change of slug."""
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{post.published_on:%Y-%m-%d}:post-{post.pk}"

    item_guid_is_permalink = False

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]


class RssPostsFeed(PostsFeed):
    feed_type = StyledRssFeed
