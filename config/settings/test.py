"""Test settings: fast hasher, locmem email; the database and broker come from the environment."""

from .base import *  # noqa: F403
from .base import caches_from, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = caches_from(env.cache("CACHE_URL", default="locmemcache://"))
GITHUB_API_URL = "http://127.0.0.1:9"  # never the real GitHub; tests point it at the stand-in
GITHUB_TIMEOUT = (0.5, 0.2)
GITHUB_RETRY_BACKOFF = 0.0
GITHUB_RATE_LIMIT_RESERVE = 0
GITHUB_REFRESH_MIN_INTERVAL = 0  # tests run one scheduled run after another; one test sets its own

# Tasks the tests enqueue stay in this process (kombu's in-memory transport): never in var/broker, where the
# next `make run` worker would send them. CI's second pass gives a real broker (Redis).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
if CELERY_BROKER_URL.startswith("memory://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {}

# Static files come straight from static/ (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
