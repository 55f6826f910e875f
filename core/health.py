"""Whether this process reaches the services it needs: each check returns, or raises what went wrong."""

import secrets

from celery import current_app
from django.core.cache import cache
from django.db import connection

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
