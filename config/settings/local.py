"""Developer defaults: SQLite under var/, the filesystem broker, DEBUG on."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-secret")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

for _folder in ("broker", "broker-control", "cache", "media"):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)

# Static files come straight from static/ (no collectstatic in development).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
