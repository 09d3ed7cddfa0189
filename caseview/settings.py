"""caseview settings. Every knob comes from the environment; production is the default.

Variables (see the README for the whole list):
  CASEVIEW_SECRET_KEY        signing key for sessions and CSRF (required unless CASEVIEW_DEBUG is set)
  CASEVIEW_ALLOWED_HOSTS     comma-separated host names
  CASEVIEW_ENCRYPTION_KEYS   comma-separated Fernet keys, newest first, for data encrypted at rest
  CASEVIEW_REQUIRE_2FA       a TOTP second factor for every role that sees case data (default on)
  CASEVIEW_DEBUG             development mode (default off)
  CASEVIEW_SESSION_IDLE_MINUTES  idle sessions expire after this many minutes (default 30)
  DATABASE_URL               e.g. postgres://user@host/db; SQLite in the data directory when unset
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be on or off (1/0, true/false, yes/no), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("CASEVIEW_DEBUG", False)

SECRET_KEY = env_str("CASEVIEW_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("CASEVIEW_SECRET_KEY must be set (or CASEVIEW_DEBUG for development)")
    SECRET_KEY = "development-only-key-not-for-real-data-" + "x" * 20

ALLOWED_HOSTS = env_list("CASEVIEW_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

# Fernet keys for identities and conversation records: separate from SECRET_KEY so that rotating one never
# touches the other. The first key encrypts; all of them decrypt.
ENCRYPTION_KEYS = env_list("CASEVIEW_ENCRYPTION_KEYS")
if not ENCRYPTION_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "CASEVIEW_ENCRYPTION_KEYS must be set: one or more Fernet keys, comma-separated, newest first "
        "(make one with: caseview newkey)"
    )

REQUIRE_2FA = env_bool("CASEVIEW_REQUIRE_2FA", True)
SESSION_IDLE_MINUTES = env_int("CASEVIEW_SESSION_IDLE_MINUTES", 30)
DATA_DIR = Path(env_str("CASEVIEW_DATA_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "caseview.core",
    "caseview.accounts",
    "caseview.reviews",
    "caseview.chronology",
    "caseview.people",
    "caseview.conversations",
    "caseview.meetings",
    "caseview.analysis",
    "caseview.findings",
    "caseview.quality",
    "caseview.reports",
]

# Long work (big imports, report builds) runs in `caseview db_worker`, which `make run` starts beside the server.
TASKS = {"default": {"BACKEND": env_str("CASEVIEW_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "caseview.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "caseview.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caseview.urls"
WSGI_APPLICATION = "caseview.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "caseview" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "caseview.core.context_processors.service",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]
# django-template-partials wraps the loaders itself when listed in INSTALLED_APPS.

if env_str("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("CASEVIEW_SQLITE_PATH", str(DATA_DIR / "caseview.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two writers queue instead of
                # failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "reviews:list"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Lockout: five failures for one username from one address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = env_int("CASEVIEW_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("CASEVIEW_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "caseview.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("CASEVIEW_PROXY_COUNT", 0)

OTP_TOTP_ISSUER = "caseview"

# Idle expiry: the cookie's age is renewed on every request, so it only runs out after inactivity.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

HTTPS = env_bool("CASEVIEW_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("CASEVIEW_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_int("CASEVIEW_PROXY_COUNT", 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: our own scripts and styles only, no inline code, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "manifest-src": ["'self'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Agency returns are up to 20 MB; anything much bigger is refused before it is read.
MAX_REQUEST_BYTES = 25 * 1024 * 1024
# Uploaded files stay in memory until they are encrypted: Django's default writes any file over 2.5 MB to an
# unencrypted temporary file on disk first, and these are records about children. Nothing bigger than
# MAX_REQUEST_BYTES gets this far.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "caseview" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SERVICE_NAME = "caseview"
DEMO_MODE = env_bool("CASEVIEW_DEMO", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CASEVIEW_LOG_LEVEL", "WARNING")},
}
