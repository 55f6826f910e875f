"""Settings shared by every environment, read from the environment (django-environ)."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "markdownx",
    "django_celery_beat",
    "axes",
    "csp",
    "reversion",
]
LOCAL_APPS = [
    "core",
    "articles",
    "libraries",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a stored page is served without loading a session or the rest of the stack.
    # It compresses reader pages once, when it stores them (WhiteNoise serves static files compressed).
    "core.page_cache.PageCacheMiddleware",
    # Inside the page cache: a stored page keeps the headers it was rendered with (their settings are part
    # of the page cache's version, so a page is never served with a policy older than the one configured).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.fragment_cache",
                "core.context_processors.site_links",
                "core.context_processors.canonical_url",
            ],
        },
    },
]

# Widgets render with the project's templates too (the admin's Markdown editor labels its preview).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


def database(config: dict) -> dict:
    """Every view in a transaction; a web process keeps its connection between requests (a new
    PostgreSQL connection, or a new SQLite one reading its schema, costs more than a stored page)."""
    return {
        **config,
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": env.int("DB_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": database(env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared between the web server, the worker and beat: locks and rate limits live here.


def caches_from(default: dict) -> dict:
    """The shared cache, and the same store as `template_fragments` for what can be rendered again.

    Redis goes through core.cache (one client per pool, see there) with timeouts, since a Redis that hangs
    must cost a request seconds, not forever; its fragments alias treats a Redis that does not answer as a
    miss, so pages still render when it is down."""
    if default["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        default = {**default, "BACKEND": "core.cache.RedisCache"}
        default["OPTIONS"] = {**default.get("OPTIONS", {}), "socket_connect_timeout": 2, "socket_timeout": 2}
        return {"default": default, "template_fragments": {**default, "BACKEND": "core.cache.ForgivingRedisCache"}}
    return {"default": default, "template_fragments": dict(default)}


CACHES = caches_from(env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"))

# Reader pages for anonymous visitors come from the shared cache (core/page_cache.py). PAGE_CACHE=off
# renders every request (for measuring and debugging) and changes nothing else: same headers, same 304s.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=24 * 60 * 60)
# Each web process also keeps this many pages it served lately (checked against the shared generations).
PAGE_CACHE_RECENT_PAGES = env.int("PAGE_CACHE_RECENT_PAGES", default=200)
# What browsers (max-age) and shared caches such as a CDN (s-maxage) may serve without asking again:
# the longest a CDN may show a page after an edit, since the site cannot purge it.
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
PAGE_CACHE_S_MAXAGE = env.int("PAGE_CACHE_S_MAXAGE", default=300)
# When the next change nobody writes falls due, per generation: a scheduled publication, comments closing;
# a library's figures ceasing to be "today".
PAGE_CACHE_SCHEDULE = {
    "content": "articles.visibility.next_visibility_change",
    "figures": "libraries.models.next_figures_change",
}
# Rendered fragments (a post's ranked list and chart, a page of its comments) keyed by their generations.
FRAGMENT_CACHE_TIMEOUT = env.int("FRAGMENT_CACHE_TIMEOUT", default=24 * 60 * 60)

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused for LOGIN_COOLOFF_MINUTES. `manage.py axes_reset_username NAME` unlocks.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client.client_ip"  # the same reader's address as everywhere, proxies counted
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# After signing in with no address to go on to (or one that is not this site's): the admin, not a 404.
LOGIN_REDIRECT_URL = "admin:index"
# The feeds' stylesheet is XSLT: served as such, or browsers refuse it (nosniff).
WHITENOISE_MIMETYPES = {".xsl": "text/xsl"}
AXES_VERBOSE = False  # no start-up banner on every management command

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")  # the site's own: dates shown, scheduled times, beat
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

# Content-Security-Policy (django-csp): scripts only from this site (no inline script anywhere), no framing.
# Styles may be inline: the pages inline their one stylesheet, and the admin sets style attributes.
# CSP_REPORT_ONLY=on sends it as Content-Security-Policy-Report-Only, for trying a change first.
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
# Powerful browser features no page of the site uses (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Top Python Libraries <noreply@localhost>")

# Reader comments. Moderators are emailed about each new comment; MODERATOR_EMAILS is the fallback
# when no member of the Moderators group has an address. SITE_URL makes the links in those emails.
MODERATOR_EMAILS = env.list("MODERATOR_EMAILS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# A form sent sooner than this after it was shown is a bot's: kept as spam, confirmed like any other.
COMMENT_MIN_SECONDS = env.int("COMMENT_MIN_SECONDS", default=3)
# A form older than this is refused with "This form has expired" (the reader's text is kept), so a bot
# cannot reuse one token forever.
COMMENT_FORM_MAX_AGE = env.int("COMMENT_FORM_MAX_AGE", default=2 * 24 * 60 * 60)
COMMENT_MAX_LINKS = env.int("COMMENT_MAX_LINKS", default=3)
COMMENT_RATE_LIMIT_WINDOW = env.int("COMMENT_RATE_LIMIT_WINDOW", default=600)
COMMENT_RATE_LIMIT_PER_IP = env.int("COMMENT_RATE_LIMIT_PER_IP", default=5)
COMMENT_RATE_LIMIT_PER_EMAIL = env.int("COMMENT_RATE_LIMIT_PER_EMAIL", default=3)
# Refused forms (a name missing, a comment too long) count apart, against this far higher limit.
COMMENT_RATE_LIMIT_INVALID_PER_IP = env.int("COMMENT_RATE_LIMIT_INVALID_PER_IP", default=30)
# A post page shows this many comments (each with its replies); older and newer ones are on pages of their own.
# 50, as WordPress does: a page of them stays under the DOM size Lighthouse asks of a phone's page.
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
# The largest file import_article and import_libraries read (a post of the series is about 20 KB).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=1024 * 1024)
# How many reverse proxies in front of the site append to X-Forwarded-For; 0 ignores the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The default broker is kombu's filesystem transport: it needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
else:
    # Countdowns and retries must stay below this, or Redis redelivers the task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com")
GITHUB_TOKEN = env.str("GITHUB_TOKEN", default="")
# Connect and read timeouts (seconds) of every request to GitHub.
GITHUB_TIMEOUT = (env.float("GITHUB_CONNECT_TIMEOUT", default=3.05), env.float("GITHUB_READ_TIMEOUT", default=10.0))
# Attempts per request on a timeout, connection error, 5xx or malformed body; the backoff base between them.
GITHUB_MAX_ATTEMPTS = env.int("GITHUB_MAX_ATTEMPTS", default=3)
GITHUB_RETRY_BACKOFF = env.float("GITHUB_RETRY_BACKOFF", default=1.0)
# Requests left unspent: a refresh stops there and resumes after GitHub's reset.
GITHUB_RATE_LIMIT_RESERVE = env.int("GITHUB_RATE_LIMIT_RESERVE", default=10)
# Concurrent requests of an in-process (--sync) refresh; GitHub asks for no more than a few.
GITHUB_REFRESH_CONCURRENCY = env.int("GITHUB_REFRESH_CONCURRENCY", default=4)
# How long a refresh run may hold its lock if its tasks never report back (seconds).
GITHUB_REFRESH_RUN_TIMEOUT = env.int("GITHUB_REFRESH_RUN_TIMEOUT", default=6 * 3600)
# A scheduled run skips libraries refreshed less than this many seconds ago (manual refreshes do not).
# GitHub's figures are shown as "today" this long after they were fetched; older ones are shown with their date
# (a daily refresh, and some hours of slack for a run that is late or retried).
GITHUB_FIGURES_TODAY_HOURS = env.int("GITHUB_FIGURES_TODAY_HOURS", default=36)
GITHUB_REFRESH_MIN_INTERVAL = env.int("GITHUB_REFRESH_MIN_INTERVAL", default=3600)

MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.render_markdown"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
