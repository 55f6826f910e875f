"""Who sent a request: the reader's address, behind however many proxies the site trusts."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The reader's address, or None when it is not a valid one.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it received the request from to
    X-Forwarded-For, so the reader's is the N-th from the right; anything further left was written by the
    sender and is not trusted. With no trusted proxy the header is ignored: any client may send one."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    if proxies > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
