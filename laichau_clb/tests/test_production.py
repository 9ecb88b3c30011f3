"""Production settings: `check --deploy` clean, the security headers, HTTPS behind the TLS proxy."""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from laichau_clb.tests.error_urls import SECRET_DETAIL

ROOT = Path(__file__).resolve().parents[2]


def _postgres_url():
    # Production runs on PostgreSQL (README), and the checks read the server's features; under an
    # SQLite test run they still ask the local PostgreSQL server that `make test` starts. The
    # server's own `postgres` database always exists.
    url = os.environ.get("DATABASE_URL", "")
    server = url.rsplit("/", 1)[0] if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432"
    return f"{server}/postgres"


def _prod_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_"))}
    env.update(DJANGO_SETTINGS_MODULE="laichau_clb.settings.prod")
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="clb.example.vn,testserver",
        CSRF_TRUSTED_ORIGINS="https://clb.example.vn",
        DATABASE_URL=_postgres_url(),
        **extra,
    )
    env.pop("DEBUG", None)
    return env


def _run(args, **extra):
    return subprocess.run(  # noqa: S603  fixed argv: this interpreter and a project script
        [sys.executable, *args], cwd=ROOT, env=_prod_env(**extra), capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_warns_when_hsts_is_turned_off():
    # The test above can fail: switching a protection off through the environment is reported.
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def probe():
    result = _run(["-m", "laichau_clb.tests.prod_probe"], DJANGO_SETTINGS_MODULE="laichau_clb.tests.prod_probe_settings")
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout), "log": result.stderr}


def test_plain_http_is_sent_to_https(probe):
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://")


def test_behind_the_tls_proxy_pages_carry_the_security_headers(probe):
    headers = {k.lower(): v for k, v in probe["login"]["headers"].items()}
    assert probe["login"]["status"] == 200
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert probe["login"]["secure_cookies"] == {"csrftoken": True}


def test_error_pages_are_vietnamese_in_the_layout_and_a_500_shows_no_detail(probe):
    missing, broken, bad = probe["missing"], probe["broken"], probe["bad"]
    assert missing["status"] == 404 and "Không tìm thấy trang" in missing["body"]
    assert broken["status"] == 500 and "Lỗi máy chủ" in broken["body"]
    assert bad["status"] == 400 and "Yêu cầu không hợp lệ" in bad["body"]
    for page in (missing, broken, bad):
        assert 'class="navbar' in page["body"] and "Not Found" not in page["body"]
    assert SECRET_DETAIL not in broken["body"] and "Traceback" not in broken["body"]


def test_a_500_writes_its_traceback_to_the_server_log(probe):
    assert "ERROR django.request: Internal Server Error: /loi-thu/" in probe["log"]
    assert "Traceback (most recent call last)" in probe["log"]
    assert f"RuntimeError: {SECRET_DETAIL}" in probe["log"]


def test_the_admin_lives_under_the_configured_path(settings):
    import importlib

    from django.urls import Resolver404, resolve

    import laichau_clb.urls

    settings.ADMIN_URL = "quan-tri-rieng/"
    try:
        urls = importlib.reload(laichau_clb.urls)
        assert resolve("/quan-tri-rieng/", urlconf=urls).app_name == "admin"
        with pytest.raises(Resolver404):
            resolve("/admin/", urlconf=urls)
    finally:
        settings.ADMIN_URL = "admin/"
        importlib.reload(laichau_clb.urls)
