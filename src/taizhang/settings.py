"""Django settings for Taizhang, all from environment variables (see ``taizhang.env``).

Variables (defaults in brackets):

- ``TAIZHANG_DATA_DIR`` [./data]: database, uploaded files, collected static files, secret key.
- ``DATABASE_URL`` [embedded SQLite at DATA_DIR/taizhang.sqlite3, WAL]; ``postgres://…`` for PostgreSQL.
- ``TAIZHANG_SECRET_KEY`` [generated once into DATA_DIR/secret_key, mode 0600].
- ``TAIZHANG_DEBUG`` [0], ``TAIZHANG_ALLOWED_HOSTS`` [127.0.0.1,localhost],
  ``TAIZHANG_CSRF_TRUSTED_ORIGINS`` [none], ``TAIZHANG_MAX_UPLOAD_MB`` [20],
  ``TAIZHANG_LOG_LEVEL`` [INFO].
- HTTPS deployment: ``TAIZHANG_SECURE_COOKIES`` [0], ``TAIZHANG_SSL_REDIRECT`` [0],
  ``TAIZHANG_HSTS_SECONDS`` [0], ``TAIZHANG_HSTS_INCLUDE_SUBDOMAINS`` [1], ``TAIZHANG_HSTS_PRELOAD`` [0],
  ``TAIZHANG_PROXY_SSL_HEADER`` [0] (trust X-Forwarded-Proto from a TLS-terminating proxy),
  ``TAIZHANG_TRUSTED_PROXIES`` [0] (number of reverse proxies in front: the client address for login
  throttling is then read from X-Forwarded-For; 0 = REMOTE_ADDR only).

- Reminders (``notify``): ``TAIZHANG_SITE_URL`` [none] (the address put in e-mails and robot posts,
  e.g. https://taizhang.example.gov.cn); e-mail is sent only when ``TAIZHANG_EMAIL_HOST`` is set:
  ``TAIZHANG_EMAIL_PORT`` [25], ``TAIZHANG_EMAIL_USER``, ``TAIZHANG_EMAIL_PASSWORD``,
  ``TAIZHANG_EMAIL_TLS`` [0] (STARTTLS), ``TAIZHANG_EMAIL_SSL`` [0], ``TAIZHANG_EMAIL_FROM``.

``taizhang check --deploy`` is clean with::

    TAIZHANG_SECRET_KEY=<50+ random characters> TAIZHANG_SECURE_COOKIES=1 TAIZHANG_SSL_REDIRECT=1 \
    TAIZHANG_HSTS_SECONDS=31536000 TAIZHANG_HSTS_PRELOAD=1
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from taizhang.env import (
    bad_value,
    env_bool,
    env_dir,
    env_int,
    env_list,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_dir("TAIZHANG_DATA_DIR", "./data")

DEBUG = env_bool("TAIZHANG_DEBUG", False)
SECRET_KEY = secret_key("TAIZHANG_SECRET_KEY", DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("TAIZHANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("TAIZHANG_CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise bad_value(
            "TAIZHANG_CSRF_TRUSTED_ORIGINS",
            _origin,
            "每项应以 http:// 或 https:// 开头",
            "each origin must start with http:// or https://",
        )

# --- applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "taizhang.core",
    "taizhang.accounts",
    "taizhang.ledger",
    "taizhang.api",
    "taizhang.notify",
    "taizhang.indicators",
    "taizhang.supervision",
    "taizhang.rankings",
    "taizhang.writing",
    "taizhang.reconcile",
    "taizhang.archive",
    "taizhang.front",
    # django-ninja: its Swagger UI page is served from our own static files (no CDN) only when listed.
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "auditlog",
    "taizhang.accounts.axes_app.AxesConfig",  # django-axes, named in Chinese
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: an oversize request is refused from its Content-Length.
    "taizhang.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taizhang.core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "taizhang.core.middleware.AuditlogMiddleware",
    # Must be last: turns axes' lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taizhang.urls"
WSGI_APPLICATION = "taizhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taizhang.core.context_processors.site",
                "taizhang.ledger.context_processors.review_count",
                "taizhang.notify.context_processors.unread",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "taizhang.sqlite3"
SQLITE_OPTIONS = {
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue on the busy timeout instead of deadlocking on a read-to-write lock upgrade.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
    try:
        config: dict[str, object] = dict(
            dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        )
    except (ValueError, KeyError) as err:
        raise bad_value(
            "DATABASE_URL",
            url,
            "应为 sqlite:///路径 或 postgres://用户@主机:端口/库名",
            f"expected sqlite:///path or postgres://user@host:port/dbname ({err})",
        ) from err
    engine = str(config.get("ENGINE", ""))
    if engine == "django.db.backends.sqlite3":
        options = config.get("OPTIONS")
        config["OPTIONS"] = {**SQLITE_OPTIONS, **(options if isinstance(options, dict) else {})}
        config["CONN_MAX_AGE"] = 0 if str(config.get("NAME")) in ("", ":memory:") else 600
    elif engine != "django.db.backends.postgresql":
        raise bad_value(
            "DATABASE_URL",
            url,
            "仅支持 SQLite 和 PostgreSQL",
            "only SQLite and PostgreSQL are supported",
        )
    elif not config.get("NAME"):
        raise bad_value("DATABASE_URL", url, "缺少数据库名", "the database name is missing")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication -----------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: 5 failures for one username from one address lock that pair out for 15 minutes — the
# pair, never the address alone: a whole office shares one NAT address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# Behind reverse proxies the client address comes from X-Forwarded-For, read as far as the proxies
# we were told about (taizhang.core.client_ip); without them, REMOTE_ADDR only.
TAIZHANG_TRUSTED_PROXIES = env_int("TAIZHANG_TRUSTED_PROXIES", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "taizhang.core.client_ip.client_ip"

# --- reminders: e-mail and links (taizhang.notify) ------------------------------------------------

TAIZHANG_SITE_URL = env_str("TAIZHANG_SITE_URL", "").rstrip("/")
if TAIZHANG_SITE_URL and not TAIZHANG_SITE_URL.startswith(("http://", "https://")):
    raise bad_value(
        "TAIZHANG_SITE_URL",
        TAIZHANG_SITE_URL,
        "应以 http:// 或 https:// 开头",
        "must start with http:// or https://",
    )
EMAIL_HOST = env_str("TAIZHANG_EMAIL_HOST", "")
TAIZHANG_EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_PORT = env_int("TAIZHANG_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("TAIZHANG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TAIZHANG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TAIZHANG_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("TAIZHANG_EMAIL_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise bad_value(
        "TAIZHANG_EMAIL_SSL",
        "1",
        "不能与 TAIZHANG_EMAIL_TLS 同时开启",
        "cannot be on with TAIZHANG_EMAIL_TLS",
    )
EMAIL_TIMEOUT = 10  # seconds: the supervise job must not hang on a dead mail server
DEFAULT_FROM_EMAIL = env_str("TAIZHANG_EMAIL_FROM", "重点工作台账 <taizhang@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files (attachments, source documents) are never served at a public URL: the
# permission-checked views in taizhang.ledger.downloads stream them.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TAIZHANG_MAX_UPLOAD_MB = env_int("TAIZHANG_MAX_UPLOAD_MB", 20, minimum=1, maximum=1024)
TAIZHANG_MAX_UPLOAD_BYTES = TAIZHANG_MAX_UPLOAD_MB * 1024 * 1024
# A request may carry one upload of the limit plus its form fields; a larger Content-Length is
# refused with a Chinese page before its body is read (core.middleware.RequestSizeLimitMiddleware).
TAIZHANG_MAX_REQUEST_BYTES = TAIZHANG_MAX_UPLOAD_BYTES + 1024 * 1024
# Form fields (not files) held in memory; anything larger goes to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = TAIZHANG_MAX_REQUEST_BYTES
# A plan preview posts ~7 fields a task; the memory limit above is what bounds a request, so let a
# 1,000-task plan be confirmed in one plain form post.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_TEMP_DIR = None

# --- security -----------------------------------------------------------------------------------

SECURE_COOKIES = env_bool("TAIZHANG_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("TAIZHANG_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("TAIZHANG_HSTS_SECONDS", 0, minimum=0, maximum=10 * 365 * 86400)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TAIZHANG_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("TAIZHANG_HSTS_PRELOAD", False)
if env_bool("TAIZHANG_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles from our own origin only: no inline script, style block, style attribute or
# event handler anywhere (htmx is configured not to inject its indicator style, see base.html).
# img data: URIs: the icons inside the admin's and Swagger UI's style sheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- logging ------------------------------------------------------------------------------------

LOG_LEVEL = env_str("TAIZHANG_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise bad_value(
        "TAIZHANG_LOG_LEVEL",
        LOG_LEVEL,
        "应为 DEBUG、INFO、WARNING、ERROR 或 CRITICAL",
        "expected DEBUG, INFO, WARNING, ERROR or CRITICAL",
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
