"""Settings for the campaign portal, read from the environment (see README)."""

import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from campaign_portal.env import client_address_source, env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
PRODUCTION = not DEBUG

SECRET_KEY = env_required("DJANGO_SECRET_KEY", when=PRODUCTION, why="when DJANGO_DEBUG is off") or (
    "development-only-key-never-used-with-debug-off"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if PRODUCTION and not ALLOWED_HOSTS:
    env_required("DJANGO_ALLOWED_HOSTS", when=True, why="when DJANGO_DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Personal data at rest (PIPL art. 28 and 51): keys of their own, never the secret key. Encryption keys are
# Fernet keys, newest first (older ones stay readable until `rotate_member_keys` has re-encrypted under the
# newest); the index key is the HMAC secret of the blind index. Development uses fixed keys.
MEMBER_ENCRYPTION_KEYS = env_list("DJANGO_MEMBER_ENCRYPTION_KEYS") or (
    env_required("DJANGO_MEMBER_ENCRYPTION_KEYS", when=PRODUCTION, why="when DJANGO_DEBUG is off")
    or ["ZGV2ZWxvcG1lbnQtb25seS1tZW1iZXIta2V5LTAwMDA="]
)
# How many generated members `load_demo_data` puts on the demo rolls (development only).
DEMO_MEMBER_COUNT = env_int("DEMO_MEMBER_COUNT", 30_000)
MEMBER_INDEX_KEY = env_required("DJANGO_MEMBER_INDEX_KEY", when=PRODUCTION, why="when DJANGO_DEBUG is off") or (
    "development-only-member-index-key-never-used-with-debug-off"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "captcha",
    "campaign_portal",
    "unions",
    "enterprises",
    "members",
    "campaigns",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campaign_portal.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that lost the database answers 503 with a page that says to try again (never a 500).
    "campaign_portal.middleware.DatabaseUnavailableMiddleware",
    # Outside axes' middleware, so that a blocked address is told so even when axes also locked the username.
    "campaign_portal.logins.AddressThrottleMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "campaign_portal.urls"
WSGI_APPLICATION = "campaign_portal.wsgi.application"

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
                "campaigns.context_processors.notifications",
            ],
        },
    },
]

# The embedded default is a SQLite file; production points DATABASE_URL at PostgreSQL.
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# On PostgreSQL each worker keeps its connection for a minute rather than opening one per request, and checks it
# before reusing it, so that connections the server dropped (a restart, a failover) are replaced instead of
# failing the next request. A SQLite file costs nothing to open: a connection per request, as Django's default.
_ON_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0 if _ON_SQLITE else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "unions.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "campaign_portal.logins.AddressThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle guessing: five failures for one username from one address lock that pair for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The admin shows axes' records through campaign_portal.admin, in Chinese.
AXES_ENABLE_ADMIN = False
# And one address may fail only so often across all usernames (campaign_portal.logins), which the pair lock
# alone would let it do five times per username.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15)

# Whose address a login comes from. Directly, the connection's (REMOTE_ADDR), whatever headers a client sends.
# Behind reverse proxies (DJANGO_BEHIND_PROXY=1), the address the proxies wrote into X-Forwarded-For.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address_source(
    BEHIND_PROXY, env_int("DJANGO_PROXY_COUNT", 1)
)
# Take the address the proxies appended (counted from the right) even when a client sent a header of its own;
# strict checking would instead fall back to the proxy's address, which every user shares.
IPWARE_STRICT = False

# Sessions end after a spell of inactivity: each request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Refreshed at most once a minute by campaign_portal.sessions.IdleSessionMiddleware, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
# Staff pages are Chinese only; the public join pages (members.views.joining) are also in Tibetan, chosen there.
LANGUAGES = [("zh-hans", "简体中文"), ("bo", "བོད་ཡིག")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django's own zh-hans date input formats are broken; ours fix them.
FORMAT_MODULE_PATH = ["campaign_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Front-end libraries come from pinned npm packages (package.json), installed by `make assets`.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    # The Tibetan web font of the public join pages.
    ("vendor/noto-serif-tibetan", NODE_MODULES / "@fontsource" / "noto-serif-tibetan"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

# The official forms and the briefing, kept once built while the figures behind them stay the same
# (reports/download_cache.py); on disk, so every worker of the machine shares them (outside MEDIA_ROOT, which holds
# only uploads and issued documents).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "downloads": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("DJANGO_DOWNLOAD_CACHE_DIR")
        or str(Path(tempfile.gettempdir()) / "campaign-portal-kept-downloads"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Every script, style, font and image comes from the portal itself.
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
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Behind HTTPS (DJANGO_HTTPS=1): secure cookies, redirects and HSTS.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")
# The portal's address as users reach it (https://portal.zgh.xz), for links in emails; none without it.
PORTAL_URL = env_str("DJANGO_PORTAL_URL", "").rstrip("/")

# The public join form (members.views.joining): limits counted in the database, per address and per ID number.
# There is deliberately no setting that turns the limits or the captcha off.
JOIN_ADDRESS_POST_LIMIT = env_int("JOIN_ADDRESS_POST_LIMIT", 20)
JOIN_ADDRESS_WINDOW_MINUTES = env_int("JOIN_ADDRESS_WINDOW_MINUTES", 10)
JOIN_ID_SUBMISSION_LIMIT = env_int("JOIN_ID_SUBMISSION_LIMIT", 3)
JOIN_ID_WINDOW_HOURS = env_int("JOIN_ID_WINDOW_HOURS", 24)
JOIN_LOOKUP_LIMIT = env_int("JOIN_LOOKUP_LIMIT", 10)
JOIN_LOOKUP_WINDOW_MINUTES = env_int("JOIN_LOOKUP_WINDOW_MINUTES", 10)
JOIN_SEARCH_LIMIT = env_int("JOIN_SEARCH_LIMIT", 60)
JOIN_SEARCH_WINDOW_MINUTES = env_int("JOIN_SEARCH_WINDOW_MINUTES", 10)
# The captcha (django-simple-captcha) asks a small sum whose digits everyone reads; the portal draws it itself.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_TIMEOUT = 20
CAPTCHA_FONT_SIZE = 28
# Light noise and little rotation: the digits stay readable for everyone, on any screen.
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_dots",)
CAPTCHA_LETTER_ROTATION = (-10, 10)
# A public form's body larger than this is refused (413) before it is read: the join form is a few hundred bytes.
JOIN_MAX_BODY_BYTES = env_int("JOIN_MAX_BODY_BYTES", 16_384)

# Background jobs (campaign_portal.jobs): long work is queued in the database and run by `manage.py jobs_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# An import of more rows than this is saved by a background job; smaller ones are saved in the request.
BACKGROUND_IMPORT_ROWS = env_int("BACKGROUND_IMPORT_ROWS", 2000)
# An export of more rows than this is written by a background job and downloaded from the job's page.
BACKGROUND_EXPORT_ROWS = env_int("BACKGROUND_EXPORT_ROWS", 50000)
# A running job whose worker has not reported for this long is taken for dead and marked failed.
JOB_HEARTBEAT_TIMEOUT_SECONDS = env_int("JOB_HEARTBEAT_TIMEOUT_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
