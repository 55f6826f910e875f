"""/healthz: whether this web process can reach the database, the shared cache and the broker."""

import logging
import secrets

from celery import current_app
from django.core.cache import cache
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

SERVICE_TIMEOUT = 2  # seconds: a load balancer's probe must get an answer, even about a hung service


def database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_answers() -> None:
    nonce = secrets.token_hex(8)
    cache.set("healthz", nonce, timeout=30)
    if cache.get("healthz") != nonce:
        raise RuntimeError("the cache did not keep what it was given")


def broker_answers() -> None:
    with current_app.connection_for_write(connect_timeout=SERVICE_TIMEOUT) as broker:
        broker.ensure_connection(max_retries=0, timeout=SERVICE_TIMEOUT)


CHECKS = {"database": database_answers, "cache": cache_answers, "broker": broker_answers}


@never_cache
@transaction.non_atomic_requests  # a transaction would need the database before the check could say it is down
def healthz(request):
    """200 when every service answers; 503 naming those that did not (their errors go to the log only)."""
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("healthz: the %s did not answer", name)
            failing.append(name)
    status = {name: "unavailable" if name in failing else "ok" for name in CHECKS}
    return JsonResponse({"status": "unavailable" if failing else "ok", **status}, status=503 if failing else 200)
