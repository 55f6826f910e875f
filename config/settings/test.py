"""Test settings: fast hasher, locmem email; the database and broker come from the environment."""

from .base import *  # noqa: F403
from .base import VAR_DIR, caches_from, env

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

for _folder in ("broker", "broker-control"):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)

# Static files come straight from static/ (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
