"""/healthz: whether this web process can reach the database, the shared cache and the broker."""

import logging

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from core.health import broker_answers, cache_answers, database_answers

logger = logging.getLogger(__name__)

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
