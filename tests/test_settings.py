"""Settings come from the environment; production refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/db",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
    "TRUSTED_PROXY_COUNT": "1",
    "SITE_URL": "https://python-libraries.example.org",
}


def load_settings(module: str, **environment) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", *PRODUCTION_SERVICES}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(environment, DJANGO_SETTINGS_MODULE=module)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings("config.settings.production", ALLOWED_HOSTS="example.org", **PRODUCTION_SERVICES)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = load_settings(
        "config.settings.production", SECRET_KEY="short", ALLOWED_HOSTS="example.org", **PRODUCTION_SERVICES
    )
    assert result.returncode != 0
    assert "at least 32 characters" in result.stderr


def test_production_starts_with_its_secrets_and_services():
    result = load_settings(
        "config.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org", **PRODUCTION_SERVICES
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize("missing", list(PRODUCTION_SERVICES))
def test_production_has_no_embedded_services(missing):
    services = {key: value for key, value in PRODUCTION_SERVICES.items() if key != missing}
    result = load_settings("config.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org", **services)
    assert result.returncode != 0
    assert missing in result.stderr


def test_database_url_selects_postgresql():
    result = load_settings("config.settings.local", DATABASE_URL="postgres://u@127.0.0.1:5432/db")
    assert result.stdout.strip() == "django.db.backends.postgresql"
    default = load_settings("config.settings.local", DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert default.stdout.strip() == "django.db.backends.sqlite3"


def test_production_passes_djangos_deployment_checks():
    environment = {**PRODUCTION_SERVICES, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "example.org"}
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is theirs, not a deployment's.
    left_out = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION_SERVICES}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
