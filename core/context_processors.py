"""Template context every page gets."""

from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


def fragment_cache(request) -> dict:
    """How long `{% cache %}` keeps a fragment; its key carries the generations, so this only bounds memory."""
    return {"fragment_timeout": settings.FRAGMENT_CACHE_TIMEOUT}


@cache
def _site_links() -> dict[str, str]:
    return {
        "home": reverse("articles:home"),
        "libraries": reverse("libraries:library_list"),
        "feed": reverse("articles:feed"),
        "stylesheet": static("css/site.css"),
        "icon": static("favicon.svg"),
        "comments_script": static("js/comments.js"),
    }


def site_links(request) -> dict:
    """The addresses every page links to, worked out once per process rather than on every render."""
    return {"site": _site_links()}
