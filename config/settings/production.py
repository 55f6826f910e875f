"""Production: no defaults for secrets, secure cookies, hashed static files."""

from .base import *  # noqa: F403
from .base import caches_from, database, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 32:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters in production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# No embedded defaults here: SQLite, the file cache and the filesystem broker are for one machine,
# and the file cache's counters (rate limits, the refresh lock) are not atomic across processes.
DATABASES = {"default": database(env.db("DATABASE_URL"))}
CACHES = caches_from(env.cache("CACHE_URL"))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
# Say how many proxies stand in front (0 when none): behind one, REMOTE_ADDR is the proxy for every reader.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")
# The site's own address, for the links in emails: no default could be right.
SITE_URL = env.str("SITE_URL")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# SECURE_SSL_REDIRECT=False serves plain http, for measuring on one machine; a load balancer's probe of
# /healthz over http is never redirected.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Asks browsers' preload lists to know the site as https-only: set SECURE_HSTS_PRELOAD=False on a domain not ready.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Only a proxy we trust may say the request came over https: without one, any client could claim it.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
