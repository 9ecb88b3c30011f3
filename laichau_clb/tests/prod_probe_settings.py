"""Production settings, except static files are served unhashed: the manifest needs a collectstatic
that takes minutes, and the probe is about headers, HTTPS and error pages, not static files. One
view that fails is added to the URLs."""
from laichau_clb.settings.prod import *  # noqa: F403
from laichau_clb.settings.prod import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ROOT_URLCONF = "laichau_clb.tests.error_urls"
