"""Settings, read from the environment (and from `.env` when present).

Fails closed: DEBUG is off and there is no default secret, so a production start without
configuration stops with a clear error instead of running insecurely. `make run` writes a
`.env` with fresh secrets for the quick start.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = Path(env.str("TPPO_ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    # Variables already in the environment win over the file.
    environ.Env.read_env(ENV_FILE, overwrite=False)


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment or in .env "
            "(see .env.example; `make run` writes one for local use)."
        )
    return value


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Victim identities: Fernet keys, newest first; older keys only decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# Keyed hash (blind index) of the NIK, to find the same person in another case.
NIK_HASH_KEY = env.str("NIK_HASH_KEY", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tppo",
    "core",
    "agencies",
    "audit",
    "victims",
    "cases",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their caching; everything else is no-store.
    "tppo.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tppo.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "agencies.otp.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's backend, refusing the users of an inactive agency (agencies/authentication.py).
    "agencies.authentication.ActiveAgencyBackend",
]

ROOT_URLCONF = "tppo.urls"
WSGI_APPLICATION = "tppo.wsgi.application"
ASGI_APPLICATION = "tppo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A case form carries up to 200 victims and 200 perpetrators (cases.services.LIMITS), some
# fifteen fields each: Django's default of 1,000 fields refused a large case (and one of
# 1,000 victims) with a bare 400 before the form could name the limit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'tppo.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers wait for each other instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"

CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": (
        # Fails open: a dead Redis costs the cache, not the site (see tppo/cache.py).
        {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failures of one username from one
# address, that pair is locked out for the cool-off time (the right password is refused
# meanwhile); colleagues behind the same NAT still sign in. Whatever the usernames, one
# address is locked after AXES_ADDRESS_FAILURE_LIMIT failures (agencies/lockout.py).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "agencies.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "agencies.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Second factor (TOTP): optional for all, required for these roles (production:
# OTP_REQUIRED_ROLES=PROVINCE,ADMIN).
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "SI-TPPO Kalsel"

# API tokens (agencies.ApiToken) expire this many days after they are issued.
TOKEN_TTL_DAYS = env.int("TOKEN_TTL_DAYS", default=90)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions end after 30 minutes: every request renews the expiry.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "id"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sistem-tppo@localhost")

# Production hardening: on unless DEBUG.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses, switched off for every answer (tppo/middleware.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Only the system's own assets: no CDN, no inline script, nothing framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG:
    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set (see .env.example).")
    if not NIK_HASH_KEY:
        raise ImproperlyConfigured("NIK_HASH_KEY is not set (see .env.example).")

# Celery: with no broker, tasks run in-process (the quick start).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a worker took but did not acknowledge (killed midway) is delivered again after this.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # The longest job (a month's summaries at 100,000 cases) takes seconds: ten minutes
    # redelivers a killed worker's job soon, without redelivering one still running.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
}
SUMMARY_BUILD_HOUR = 2  # WITA, on the 1st
RETURN_REMINDER_DAY = env.int("RETURN_REMINDER_DAY", default=6)
CELERY_BEAT_SCHEDULE = {
    "build-monthly-summaries": {
        "task": "reports.tasks.summaries_build_task",
        "schedule": crontab(minute=0, hour=SUMMARY_BUILD_HOUR, day_of_month=1),
    },
    "remind-missing-returns": {
        "task": "reports.tasks.returns_remind_task",
        "schedule": crontab(minute=0, hour=8, day_of_month=RETURN_REMINDER_DAY),
    },
    # Self-healing: what the two above should have done and did not (an outage, beat down
    # at the due minute, the mail server refusing) is done at the next quarter past.
    "monthly-work-catch-up": {
        "task": "reports.tasks.monthly_work_catch_up_task",
        "schedule": crontab(minute=15),
    },
}

# Reports
RETURN_DUE_DAY = env.int("RETURN_DUE_DAY", default=5)
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=5)
IDENTITY_VIEW_ALERT_THRESHOLD = env.int("IDENTITY_VIEW_ALERT_THRESHOLD", default=20)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Expiring tokens for systems; the session for the browser, refused without the
        # second factor where it is required (agencies/authentication.py).
        "agencies.authentication.ExpiringTokenAuthentication",
        "agencies.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.errors.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.errors.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.base.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_THROTTLE_RATE", default="600/min")},
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "API Sistem Informasi Kasus TPPO Kalimantan Selatan",
    "DESCRIPTION": "API for the police women-and-children units (Unit PPA).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs need a signed-in user or a token, like everything else.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: it would load an image from validator.swagger.io, which the
    # content security policy (and a closed network) refuses.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.base.text_parameters_refuse_nul",
    ],
    # Code lists that share a field name (`kind`, `stage`, `status`) get names of their own
    # instead of hashed ones, so the schema is stable and `check --deploy` stays clean.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "cases.codes.Stage",
        "CaseStatusEnum": "cases.codes.CaseStatus",
        "JourneyKindEnum": "cases.codes.JourneyKind",
        "PerpetratorKindEnum": "cases.codes.PerpetratorKind",
        "VictimStatusEnum": "victims.codes.VictimStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
