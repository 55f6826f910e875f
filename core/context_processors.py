"""Template context every page gets."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe


def fragment_cache(request) -> dict:
    """How long `{% cache %}` keeps a fragment; its key carries the generations, so this only bounds memory."""
    return {"fragment_timeout": settings.FRAGMENT_CACHE_TIMEOUT}


@cache
def _site_links() -> dict[str, str]:
    return {
        "home": reverse("articles:home"),
        "libraries": reverse("libraries:library_list"),
        "feed": reverse("articles:feed"),
        "feed_rss": reverse("articles:feed_rss"),
        "icon": static("favicon.svg"),
        "touch_icon": static("icons/apple-touch-icon.png"),
        "manifest": static("site.webmanifest"),
        "comments_script": static("js/comments.js"),
        # Inlined: a page renders without waiting for a second request (9 KB, compressed with the page).
        "stylesheet": mark_safe(Path(finders.find("css/site.css")).read_text()),
    }


def site_links(request) -> dict:
    """The addresses every page links to and its stylesheet, worked out once per process."""
    return {"site": _site_links()}


def canonical_url(request) -> dict:
    """The page's one address for search engines: the site's own host, no sort order or tracking parameter,
    the page number only past the first page."""
    page = request.GET.get("page", "")
    # Only for a page that reads `page`: a stored page is shared by every query it does not read.
    match = request.resolver_match
    view = getattr(match.func, "view_class", match.func) if match else None
    reads_page = "page" in getattr(view, "page_query_parameters", ())
    query = f"?page={page}" if reads_page and page.isdigit() and int(page) > 1 else ""
    return {"canonical_url": f"{settings.SITE_URL.rstrip('/')}{request.path}{query}"}
