"""Kurukan settings: one module, driven by KURUKAN_* environment variables (docs/configuration.md).

Every variable has a safe local default (SQLite in KURUKAN_DATA_DIR, DEBUG off). Secrets may come from
a `_FILE` variant so they never sit in a process listing or a unit file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """A KURUKAN_ variable, or the contents of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name, "1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use 1 or 0).")


def env_int(name: str, default: int) -> int:
    raw = env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("KURUKAN_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DEBUG = env_bool("KURUKAN_DEBUG", False)

SECRET_KEY = env("KURUKAN_SECRET_KEY")
if not SECRET_KEY:
    # A local install keeps its own random key beside the database, created on first start.
    _secret_file = DATA_DIR / "secret_key"
    try:
        if not _secret_file.exists():
            import secrets

            DATA_DIR.mkdir(parents=True, exist_ok=True)
            _secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            _secret_file.chmod(0o600)
        SECRET_KEY = _secret_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Set KURUKAN_SECRET_KEY, or make KURUKAN_DATA_DIR ({DATA_DIR}) writable: {exc}"
        ) from exc

ALLOWED_HOSTS = env_list("KURUKAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("KURUKAN_CSRF_TRUSTED_ORIGINS", "")
HOST = env("KURUKAN_HOST", "127.0.0.1")
PORT = env_int("KURUKAN_PORT", 8000)
WEB_WORKERS = env_int("KURUKAN_WEB_WORKERS", 0)  # `kurukan serve` processes; 0: sized for the machine
WEB_THREADS = env_int("KURUKAN_WEB_THREADS", 0)  # threads per process; 0: the default (4)

# Encryption of identifying fields (kurukan.crypto). The key file holds every key id still needed.
ENCRYPTION_KEY_FILE = Path(env("KURUKAN_ENCRYPTION_KEY_FILE", str(DATA_DIR / "keys" / "kurukan-keys.json")))
ENCRYPTION_KEYS = env("KURUKAN_ENCRYPTION_KEYS")  # JSON, same shape as the key file; wins over the file

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs page (Swagger UI) from this server, never a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "django_tasks_db",
    "kurukan.accounts",
    "kurukan.audit",
    "kurukan.places",
    "kurukan.vocabularies",
    "kurukan.actors",
    "kurukan.people",
    "kurukan.incidents",
    "kurukan.evidence",
    "kurukan.backups",
    "kurukan.duplicates",
    "kurukan.estimates",
    "kurukan.exports",
    "kurukan.fieldforms",
    "kurukan.schools",
    "kurukan.statistics",
    "kurukan.imports",
    "kurukan.public",
    "kurukan.alerts",
    "kurukan.server",
    "kurukan.recommendations",
    "kurukan.reports",
    "kurukan.reparations",
    "kurukan.justice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kurukan.middleware.FrenchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kurukan.accounts.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kurukan.urls"
WSGI_APPLICATION = "kurukan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("KURUKAN_DATABASE_URL", f"sqlite:///{DATA_DIR / 'kurukan.sqlite3'}"),
        conn_max_age=env_int("KURUKAN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue instead of failing with "database is locked" half-way through a batch.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ""

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "incidents:list"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins of a locked-out account before checking anything
    "kurukan.accounts.backends.UserBackend",  # reads the user with their organisation
    "django.contrib.auth.backends.ModelBackend",  # only for sessions signed in before (accounts/backends.py)
]
# Ten failed logins lock the account (not the IP: offices share one address) for a while.
AXES_FAILURE_LIMIT = env_int("KURUKAN_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("KURUKAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes.W006 warns that username-only lockout ignores the client address. That is the point here: offices
# and mobile networks in Mali put many users behind one address, and the account is what is attacked.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
REQUIRE_2FA = env_bool("KURUKAN_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Kurukan"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("KURUKAN_TIME_ZONE", "Africa/Bamako")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "files"
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass  # a read-only install serves collected files from elsewhere (docs/deployment.md)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Sessions: short-lived and never readable by page scripts.
SESSION_COOKIE_AGE = env_int("KURUKAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("KURUKAN_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("KURUKAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("KURUKAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("KURUKAN_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything the pages load comes from this server: vendored scripts, styles and map tiles are local.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("KURUKAN_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and SQL parameters can carry victims' names: never log them.
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # axes logs every login at INFO with the username masked; failures are in the audit log already.
        "axes": {"level": "WARNING"},
    },
}

EVIDENCE_MAX_BYTES = env_int("KURUKAN_EVIDENCE_MAX_BYTES", 200 * 1024 * 1024)
# Largest file an import accepts (the page, the API and the command line); the file is streamed, never read whole.
IMPORT_MAX_BYTES = env_int("KURUKAN_IMPORT_MAX_BYTES", 1024 * 1024 * 1024)
PUBLIC_ID_PREFIX = env("KURUKAN_PUBLIC_ID_PREFIX", "ML")
PAGE_SIZE = env_int("KURUKAN_PAGE_SIZE", 25)
# Public figures (disclosure control): a figure under its threshold is suppressed; sexual violence and
# children have the higher one.
PUBLIC_THRESHOLD = env_int("KURUKAN_PUBLIC_THRESHOLD", 5)
PUBLIC_THRESHOLD_SENSITIVE = env_int("KURUKAN_PUBLIC_THRESHOLD_SENSITIVE", 10)
# Consent (kurukan.people.consent): the answer assumed for a person with no consent record for a purpose
# (legacy or imported data). "refused" keeps their identity out of every share; "given" lets it travel.
CONSENT_DEFAULT = env("KURUKAN_CONSENT_DEFAULT", "refused").strip().lower()
if CONSENT_DEFAULT not in {"refused", "given"}:
    raise ImproperlyConfigured(
        f"KURUKAN_CONSENT_DEFAULT must be 'refused' or 'given', not {CONSENT_DEFAULT!r}"
    )

# Email (early-warning alerts): SMTP; `make demo` prints them to the console instead.
SITE_URL = env("KURUKAN_SITE_URL", f"http://{HOST}:{PORT}").rstrip("/")
_mail_backend = env("KURUKAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_mail_options = (
    {
        "host": env("KURUKAN_EMAIL_HOST", "localhost"),
        "port": env_int("KURUKAN_EMAIL_PORT", 25),
        "username": env("KURUKAN_EMAIL_USER"),
        "password": env("KURUKAN_EMAIL_PASSWORD"),
        "use_tls": env_bool("KURUKAN_EMAIL_TLS", False),
    }
    if _mail_backend.endswith("smtp.EmailBackend")
    else {}
)
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("KURUKAN_EMAIL_FROM", "kurukan@localhost")
