"""Production: behind a TLS proxy (README "Deploying for real"). `check --deploy` is clean with the
defaults; each security setting can be changed through the environment."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STORAGES, env_bool

DEBUG = False
PRODUCTION = True
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
# Uploads and reports as base.py has them (the disk, or S3 when AWS_STORAGE_BUCKET_NAME is set).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# The proxy terminates TLS and says so in this header ("HEADER_NAME,value"; empty to turn off). Only
# safe when the app is reachable through the proxy alone (gunicorn on 127.0.0.1, as the README has it)
# and the proxy overwrites the header coming from the client.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO,https")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header.split(",", 1)) if _proxy_header.strip() else None
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1"))
