"""/healthz: what a load balancer sees when the database, the cache or the broker stops answering."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import broker

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_every_service_answers():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_healthz_names_the_cache_when_it_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable", "broker": "ok"}


def test_healthz_names_the_broker_when_it_is_down():
    with broker("redis://127.0.0.1:9/0"):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable" and response.json()["cache"] == "ok"


def test_healthz_names_the_database_when_it_is_down(tmp_path):
    """In a process of its own, pointed at a PostgreSQL port where nothing listens."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); print(r.status_code, json.dumps(r.json()))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=1",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "memory://",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )

    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", result.stderr[-2000:]
    assert json.loads(body) == {"status": "unavailable", "database": "unavailable", "cache": "ok", "broker": "ok"}
