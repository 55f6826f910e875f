"""Whether a form was sent from one of this site's own pages: what protects a form whose page carries no CSRF token."""

from urllib.parse import urlsplit

from django.conf import settings


def site_origins(request) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def is_same_origin(request) -> bool:
    """True when the browser says the request comes from a page of this site.

    Browsers write `Sec-Fetch-Site` and `Origin` themselves and no page may set them, so another site's
    page cannot pass. A browser too old to send `Origin` with a form still sends the page in `Referer`;
    a request that says nothing of where it comes from is refused."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        referer = urlsplit(request.headers.get("Referer", ""))
        if not (referer.scheme and referer.netloc):
            return False
        origin = f"{referer.scheme}://{referer.netloc}"
    return origin in site_origins(request)
