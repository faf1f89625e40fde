"""Django settings for desist.

The database comes from ``DATABASE_URL`` (``sqlite:///PATH`` or ``postgres://...``); without it,
SQLite in the data folder (``DESIST_DATA_DIR``, default ``~/.local/share/desist``) is the
embedded default. Secrets come from the environment in production; ``DESIST_DEBUG=1`` is for
development only.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from desist.paths import data_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent


DEBUG = os.environ.get("DESIST_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("DESIST_SECRET_KEY", "")
if not SECRET_KEY:
    # A key made once per data folder, so that sessions survive restarts of a local install.
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = [
    h for h in os.environ.get("DESIST_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "govuk_frontend_django",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "desist.core",
    "desist.reference",
    "desist.accounts",
    "desist.people",
    "desist.offending",
    "desist.cohorts",
    "desist.pathways",
    "desist.interventions",
    "desist.audit",
    "desist.panels",
    "desist.ingest",
    "desist.scoring",
    "desist.selection",
    "desist.supervision",
    "desist.disposals",
    "desist.restorative",
    "desist.referrals",
    "desist.partnership",
    "desist.reports",
    "desist.administration",
    "desist.api",
    "desist.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session verified by a second factor (TOTP), for administrators who set one up.
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A user with a second factor must have verified this session with it, on every page.
    "desist.accounts.middleware.SecondFactorMiddleware",
    # Who made each change, for the change history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "desist.web.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a lockout into the "account locked" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "desist.config.urls"
WSGI_APPLICATION = "desist.config.wsgi.application"

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
                "desist.web.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{data_dir() / 'desist.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # JIT compilation costs more than it saves on the short queries of case work.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"
# django-axes checks for a lockout before the password is tried, so it comes first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-axes: 5 failed sign-ins lock the account (whatever the address they come from) for
# 30 minutes; a successful sign-in clears the count. Attempts are kept in the database, so this
# works the same on SQLite and PostgreSQL and across server processes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by address as well (axes.W006): staff of one agency often share one public address, and
# five mistakes among them would lock everyone out. Password spraying across many accounts is
# left to the network's own rate limits.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "desist.accounts.views.locked_out"
AXES_VERBOSE = False

# django-otp: the issuer named in authenticator apps for the optional TOTP second factor.
OTP_TOTP_ISSUER = "desist"

# A nominal is due for review at a panel when their latest RAG review is older than this.
DESIST_REVIEW_DAYS = int(os.environ.get("DESIST_REVIEW_DAYS", "28"))

# The partnership that runs this deployment, named in the header of every page.
PARTNERSHIP_NAME = os.environ.get("DESIST_PARTNERSHIP_NAME", "Community Safety Partnership")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = data_dir() / "static"
# WhiteNoise serves collected files from STATIC_ROOT and, with finders, each app's static folder
# (so no collectstatic is needed); it warns on every start if STATIC_ROOT is missing.
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Sessions expire after an hour without activity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DESIST_SESSION_SECONDS", "3600"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "desist.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("DESIST_HTTPS", "0") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DESIST_LOG_LEVEL", "WARNING")},
}
