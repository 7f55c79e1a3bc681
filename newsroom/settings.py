"""Newsroom settings, read from the environment.

Every value has a safe local default (SQLite, local-memory cache, console email) so a fresh clone
runs at once; production sets DATABASE_URL, REDIS_URL, SECRET_KEY and friends.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
# The site's templates/ and static/ lie at the repository's root in a checkout; a wheel carries
# them inside this package (setup.py). What the site writes by default (the SQLite file,
# collected static files, uploads) goes to the checkout's root or, installed, to the directory
# it runs from: never into site-packages.
if (PACKAGE_DIR / "templates").is_dir():
    SOURCE_DIR, BASE_DIR = PACKAGE_DIR, Path.cwd()
else:
    SOURCE_DIR = BASE_DIR = PACKAGE_DIR.parent


def envbool(name, default):
    """Read True/False from the environment; anything else is a configuration error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    """A comma-separated list: "a.example,b.example"."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# Set by `make test`: plain static storage and plain HTTP for the test client and live server.
TESTING = envbool("TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-local-development-only")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # translated fields (press/ and contacts/translation.py); before the admin
    "newsroom.admin_site.GuardedAdminConfig",  # django.contrib.admin, its input guarded
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "reversion_compare",
    "django_prose_editor",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "anymail",  # providers' webhooks: bounces, complaints (contacts/mailings/feedback.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "solo",  # the one-row SiteSettings record and its admin
    "core",  # shared by the apps: page cache, workers' heartbeats
    "press",
    "contacts",
    "ninja",  # the read API (api/), its docs page's self-hosted Swagger UI
    "corsheaders",  # CORS on /api/ only
    "api",
    "insights",  # figures of the newsroom's work, in the admin
    "newsroom",  # site-wide commands (load_demo) that span both apps
]

MIDDLEWARE = [
    # Anonymous readers' cached pages are served from here, with the headers the middleware
    # below gave them when they were stored, before any of it runs again.
    "core.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CORS headers on /api/ (CORS_URLS_REGEX), and its preflight answered, before anything else.
    "corsheaders.middleware.CorsMiddleware",
    "newsroom.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.middleware.HeadAsGetMiddleware",  # HEAD on /api/ (API_PATH), before the ETag
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the address's: /es/... Spanish, an address without a prefix English.
    "newsroom.languages.AddressLanguageMiddleware",
    "newsroom.chrome.ReadChromeAheadMiddleware",  # the header and footer, once per language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Admin sign-in is throttled by django-axes: after 5 failed attempts for one username from one
# address, that pair is locked out for 15 minutes. Attempts are kept in the database, so every
# app server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

ROOT_URLCONF = "newsroom.urls"
# Covering indexes (Index(include=...)) serve deep list pages on PostgreSQL; SQLite keeps their
# key columns and warns that it ignores the rest.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SOURCE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Page queries are small and many: PostgreSQL's JIT compiler costs seconds on a query whose
    # row estimate is off, and saves nothing on queries this size.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if TESTING:
        # The suite's throwaway database need not wait for each commit to reach the disk: a
        # third off every flush between transactional tests, and off every commit in them.
        DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ReusedClientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A slow or unreachable Redis must cost a reader milliseconds, not seconds: the
            # page cache and rate limits fall back when it does not answer.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages, and values worked out from content (list counts, archive years, popular topics), are
# cached only where every process shares the cache: with the local-memory cache each gunicorn
# worker would keep its own, and one worker's save would leave the others showing what it
# changed. Tests and runserver (DEBUG) are one process.
SHARED_CACHE = bool(os.environ.get("REDIS_URL")) or DEBUG or TESTING
# Seconds an anonymous reader's page is kept in that cache (and by browsers and CDNs);
# 0 turns page caching off. See core/page_cache.py for why it is never stale.
PAGE_CACHE_SECONDS = envint(
    "PAGE_CACHE_SECONDS", 60 if SHARED_CACHE and not (DEBUG or TESTING) else 0
)
# Pages each process keeps a copy of, served without asking Redis while the content version
# it heard last is theirs (core/page_copies.py); 0 keeps none.
PAGE_COPIES = envint("PAGE_COPIES", 0 if TESTING else 200)
# Reads of release pages wait in this Redis and reach the database together, one move every
# READS_MOVE_SECONDS at most (press.models.reads); without it each read is one database write.
# Tests count reads at once unless a test turns waiting on.
READS_REDIS_URL = "" if TESTING else os.environ.get("REDIS_URL", "")
READS_MOVE_SECONDS = envint("READS_MOVE_SECONDS", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages releases are written in (Django codes; BCP 47 tags in pages: pt-br is pt-BR).
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("pt-br", "Português (Brasil)"),
    ("fr", "Français"),
    ("ko", "한국어"),
    ("ar", "العربية"),
]
# The PostgreSQL text search configuration of each language releases are written in: how their
# words are stemmed and which are too common to index (press.search_config).
# Korean and Arabic: every word as written ("simple"), found by its start, so "서울시" finds
# "서울시는" (particles follow the word), and inside words (press.search).
SEARCH_CONFIGS = {
    "en": "english",
    "es": "spanish",
    "pt-br": "portuguese",
    "fr": "french",
    "ko": "simple",
    "ar": "simple",
}
# Milliseconds PostgreSQL may spend finding the releases a search matches before it is stopped
# and the reader asked for other words (press.search.within_time_limit).
SEARCH_TIME_LIMIT_MS = envint("SEARCH_TIME_LIMIT_MS", 2000)
# Searches one address may make in a minute that are not kept from the last minute (searches
# made again are answered from the cache and not counted); more are answered with a 429.
SEARCHES_PER_MINUTE = envint("SEARCHES_PER_MINUTE", 30)
# Translated fields (role titles, organization names, topics: press/translation.py) fall back
# to English where a translation is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
LOCALE_PATHS = [SOURCE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [SOURCE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads and renditions: the local disk, or an S3-compatible object store shared by every
# app server when AWS_STORAGE_BUCKET_NAME is set (django-storages reads the AWS_* settings).
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": envbool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        # Hashed, compressed files served with far-future cache headers; plain storage under
        # DEBUG and tests so a missing `collectstatic` never breaks a page.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
# Emails to journalists carry a one-click opt-out link; with an address here, a mailto link
# too, for mail clients that only write (its mail is read by people: nothing reads it for us).
LIST_UNSUBSCRIBE_MAILTO = os.environ.get("LIST_UNSUBSCRIBE_MAILTO", "")
# The mail provider's reports of bounces and complaints (django-anymail's tracking webhooks,
# /anymail/<provider>/tracking/): they answer 404 until ANYMAIL_WEBHOOK_SECRET is set,
# as "user:password", which the provider then sends as basic auth. SMTP stays the transport.
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
if os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY"):  # Mailgun signs its posts as well
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = os.environ["MAILGUN_WEBHOOK_SIGNING_KEY"]
# Emails to an address that soft-bounced (mailbox full, server busy) this many times in a row
# put it on the suppression list.
SOFT_BOUNCE_LIMIT = envint("SOFT_BOUNCE_LIMIT", 3)

# HTTPS: safe by default in production, each one switchable off for plain HTTP on localhost.
HTTPS = not (DEBUG or TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Where uploaded images are served from, when not this site (an object store or CDN).
MEDIA_SOURCE = os.environ.get("MEDIA_SOURCE", "")

TAGGIT_CASE_INSENSITIVE = True

# Background work (imports, alerts, sends) runs on django-tasks. The database backend lets
# workers on several machines share PostgreSQL: `python manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The public address of the site, for links in emails (no request to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Whether emails to journalists carry a tracking pixel that records opens: only where the office
# allows it (its privacy notice says so). Off, no pixel is sent and its address records nothing;
# clicks on links are counted either way (contacts/mailings/tracking.py).
MAILING_OPEN_PIXEL = envbool("MAILING_OPEN_PIXEL", False)

# The organization this newsroom belongs to: its name heads every page.
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Resilient Cities Network Newsroom")
# Optional two-factor sign-in for staff (newsroom/two_factor.py): authenticator apps show the
# newsroom's name beside the code.
OTP_TOTP_ISSUER = NEWSROOM_NAME
# The slug of the organization that runs the newsroom: its board and executives make the
# leadership page, and it is the publisher in structured data.
NEWSROOM_ORGANIZATION = os.environ.get("NEWSROOM_ORGANIZATION", "resilient-cities-network")

# How long delivery and event logs are kept, in days (contacts/privacy/retention.py); 0 keeps
# them for ever. Older events and embargo link opens are deleted, older deliveries anonymised.
NEWSROOM_DELIVERY_LOG_DAYS = envint("NEWSROOM_DELIVERY_LOG_DAYS", 730)
NEWSROOM_EVENT_LOG_DAYS = envint("NEWSROOM_EVENT_LOG_DAYS", 730)

# The read API (/api/v1/, api/): requests a minute from one address without a key (keys have
# their own rate, set in the admin), and how long shared caches may keep an answer.
API_PATH = "/api/"
API_ANONYMOUS_PER_MINUTE = envint("API_ANONYMOUS_PER_MINUTE", 60)
API_CACHE_SECONDS = envint("API_CACHE_SECONDS", 30)
# How many proxies in front of the app servers append to X-Forwarded-For: the client is the
# address that many from the end (0: REMOTE_ADDR), so a caller cannot pick its own rate limit.
NINJA_NUM_PROXIES = envint("NUM_PROXIES", 0)
# Any site may read the API from a browser: GET only, never with cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "x-api-key"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
# Partners' webhooks (api/): loopback URLs are refused like private ones unless this is on
# (tests, local development). Never in production.
WEBHOOKS_ALLOW_LOOPBACK = envbool("WEBHOOKS_ALLOW_LOOPBACK", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
