"""Settings shared by every environment; each value that differs per machine comes from the environment."""
import datetime
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "import_export",
    "django_tasks_db",
    "clubs",
    "jobs",
    "funds",
    "care",
    "programme",
    "workbook",
    "reporting",
    "benchmark",
    "axes",
    "ninja",  # serves the API docs page's Swagger UI from its own static files, not a CDN
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clubs.middleware.SessionIdleClock",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clubs.middleware.RefuseNulCharacters",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "laichau_clb.urls"
WSGI_APPLICATION = "laichau_clb.wsgi.application"

# Django's renderer, with the selects of forms written out in Python (laichau_clb/form_renderer.py).
FORM_RENDERER = "laichau_clb.form_renderer.FormRenderer"

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
            "builtins": ["clubs.templatetags.clb"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins and waits up to 20 s for it: two
    # simultaneous writers (a double click) queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
# A read replica of the primary (docs/deploy.md): the dashboard's and reports' reads go there inside
# laichau_clb.routers.replica_reads(); every write, and every read of any other page, stays on the
# primary. The test runner mirrors it onto the test database instead of creating a second one.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["laichau_clb.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The covering indexes of reporting.ClubFigureRow are for PostgreSQL; SQLite builds them without their
# INCLUDE columns, which only costs it the index-only scan. Said once here instead of on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Django's validators with Vietnamese messages (clubs/passwords.py); create_staff and the admin use them too.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "clubs.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "clubs.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "clubs.passwords.CommonPasswordValidator"},
    {"NAME": "clubs.passwords.NumericPasswordValidator"},
]
# Login lockout (django-axes): AXES_FAILURE_LIMIT wrong passwords for one account from one address
# lock that pair for AXES_COOLOFF_MINUTES; a wrong try during the lock starts the time again.
# Every login, failed or not, is kept (AccessLog, AccessFailureLog) and listed in the admin.
# clubs.backends.StaffModelBackend: Django's ModelBackend, with the user's Staff record in the same query.
# Sessions made under django.contrib.auth.backends.ModelBackend sign in once more after the change.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "clubs.backends.StaffModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "clubs.accounts.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "clubs.accounts.client_ip"
# How many proxies stand before the app and append to X-Forwarded-For (production: the TLS proxy).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after SESSION_IDLE_HOURS without a request (each request restarts the clock, to within
# SESSION_CLOCK_SECONDS: clubs.middleware.SessionIdleClock), and logging out ends every session of the
# account (clubs.accounts.LogoutEverywhereView).
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_HOURS", "8")) * 3600)
SESSION_CLOCK_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
# Sessions are rows of the database (Django's default, stated because several app servers rely on it):
# a login made through one server is valid on every other, and survives a restart.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy: scripts, styles, fonts, images and requests from this site only; no inline
# script or event handler (page behaviours live in static/js). Style *attributes* stay allowed: the
# progress bars and charts size themselves with them, and an attribute cannot load or run anything.
# Bootstrap's icons are data: images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Headers on every response (SecurityMiddleware, XFrameOptionsMiddleware).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The Django admin's address; a less obvious one on a public server keeps the noise down.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

CSRF_FAILURE_VIEW = "clubs.errors.csrf_failure"

# Everything from WARNING up goes to stderr (gunicorn's log), a 500 with its traceback included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own console handler prints only under DEBUG; the root handler above takes its place.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# Background tasks (django.tasks) kept in the project's database by django-tasks-db and run by
# `manage.py db_worker` (several at once on PostgreSQL, which hands each task to one with SKIP LOCKED;
# one on SQLite). The tests run tasks in the request with the immediate backend (settings/test.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job writes its progress every JOBS_PROGRESS_SECONDS; one not heard of for
# JOBS_STALE_AFTER_SECONDS is taken for a dead worker and failed (its transaction died with it).
JOBS_PROGRESS_SECONDS = float(os.environ.get("JOBS_PROGRESS_SECONDS", "1"))
JOBS_STALE_AFTER_SECONDS = int(os.environ.get("JOBS_STALE_AFTER_SECONDS", "600"))

# Only production settings set this; `seed_demo` refuses to run there.
PRODUCTION = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["laichau_clb.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Front-end packages come from npm (package.json) and are served by the app itself: no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def _storages():
    """Uploads ("default") and generated reports ("reports", never public): on this machine's disk
    by default, in one S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (several app servers,
    docs/deploy.md). boto3 takes the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."""
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    endpoint = os.environ.get("S3_ENDPOINT_URL", "").strip()
    if endpoint and not bucket:
        raise ImproperlyConfigured("S3_ENDPOINT_URL is set: set AWS_STORAGE_BUCKET_NAME too.")
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "reports": {"BACKEND": "reporting.models.PrivateReportStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    s3 = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        # Files are only ever read through the app's views (which check access), never by URL.
        "default_acl": "private",
        "querystring_auth": True,
        # Like the file system: a name already taken gets a suffix, nothing is overwritten.
        "file_overwrite": False,
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3, "location": "media"}},
        "reports": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3, "location": "private_reports"}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


STORAGES = _storages()


def _caches():
    """Per process by default (`make run`: one server). CACHE_URL (or REDIS_URL), e.g.
    redis://127.0.0.1:6379/0, shares one cache between app servers and their workers, so a
    dashboard computed by one is not computed again by the others. Never a matter of correctness:
    cached figures are keyed on the data generation kept in the database (clubs/cache.py)."""
    url = (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "").strip()
    prefix = os.environ.get("CACHE_KEY_PREFIX", "")
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": prefix}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address.")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}


CACHES = _caches()
# Seconds the club list's and a club page's bodies stay cached; any committed write renders them afresh
# (clubs/page_cache.py). 0 turns the cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# reporting.club_aggregates prepares the statements of a club's recomputation once per database connection
# (SQL PREPARE): off where connections are shared per transaction (PgBouncer in transaction mode), which
# keeps no prepared statement from one transaction to the next.
PREPARED_STATEMENTS = os.environ.get("PREPARED_STATEMENTS", "1").strip().lower() not in ("0", "false", "no", "off")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Workbook uploads: refuse anything larger before reading it.
WORKBOOK_MAX_UPLOAD_BYTES = int(os.environ.get("WORKBOOK_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
WORKBOOK_MAX_UNPACKED_BYTES = int(os.environ.get("WORKBOOK_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
# An export of more clubs than this runs as a task (jobs/), with a progress page and a download.
WORKBOOK_EXPORT_INLINE_CLUBS = int(os.environ.get("WORKBOOK_EXPORT_INLINE_CLUBS", "100"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Province defaults for the loan limits of a club whose regulation sets none (Club.max_loan,
# Club.max_rate_percent_month; funds.rules): the self-help clubs lend a few million đồng per member
# (3-20 million in the programme's guidance), and 3 %/tháng is well above any club's fee (0.5-1 %).
FUNDS_MAX_LOAN = 50_000_000
FUNDS_MAX_RATE_PERCENT_MONTH = Decimal("3")

# `seed_demo` runs these in order; each is idempotent and takes (seed=, stdout=).
DEMO_STEPS = ["clubs.demo.seed_clubs", "funds.demo.seed_funds", "care.demo.seed_health", "care.demo.seed_home_care",
              "programme.demo.seed_programme", "reporting.demo.seed_plan", "reporting.demo.seed_figure_rows"]

# `benchmark` prints these sections: dotted paths of `section(*, stdout) -> str` (markdown).
BENCHMARK_SECTIONS = [
    "benchmark.sections.indicators_section",
    "benchmark.sections.dashboard_section",
    "benchmark.sqlite.sqlite_section",
    "benchmark.workbook.section",
    "benchmark.report.section",
    "benchmark.live.section",
    "benchmark.load.section",
]
