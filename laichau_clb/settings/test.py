import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "reports": {"BACKEND": "reporting.models.PrivateReportStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Per process whatever CACHE_URL says: the tests empty the cache between them (conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Factories write past the write paths (clubs/touched.py), so kept figure rows would not follow them:
# the tests read live figures, and reporting/tests/test_figure_rows.py switches the rows on.
REPORTING_FIGURE_ROWS = False
# For the same reason the page bodies are not cached; clubs/tests/test_page_cache.py switches it on.
PAGE_CACHE_SECONDS = 0
# Tasks run inside the request that queues them; the journey with a real worker starts `db_worker`
# with TASKS_BACKEND=database against the live server's database.
if os.environ.get("TASKS_BACKEND") != "database":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
