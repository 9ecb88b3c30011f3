"""Real app servers on loopback ports, for the several-servers test and the load benchmark: gunicorn
processes (and the task worker, where the project has one) on the same PostgreSQL and the same media,
as docs/deploy.md sets them up, only on 127.0.0.1.

A small HTTP client (the standard library's, with one cookie jar) plays a browser: it keeps the
session and CSRF cookies, which are per host and not per port, so one login is sent to every server.
"""
import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

HOST = "127.0.0.1"
# The settings the servers run under: production's request path (DEBUG off, the same middleware)
# without its TLS redirect, which needs the proxy these loopback servers do not have.
SERVER_SETTINGS = "laichau_clb.settings.base"
START_TIMEOUT = 90  # seconds: a busy 2-CPU machine imports Django slowly


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def database_url(settings_dict):
    """The postgres:// address of a connection's settings (the test database while testing)."""
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = urllib.parse.quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def server_env(**extra):
    """The environment of a server: this one's, with the settings for loopback and `extra` on top.
    Servers that share sessions must be given the same SECRET_KEY (each call makes a new one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE=SERVER_SETTINGS, DEBUG="false", ALLOWED_HOSTS=HOST,
        SECRET_KEY="loopback-only-" + uuid.uuid4().hex, PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _wait_until_serving(port, proc, log):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited ({proc.returncode}):\n{Path(log).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not answer within {START_TIMEOUT} s:\n{Path(log).read_text()[-3000:]}")


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()  # gunicorn: graceful stop of the workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def gunicorn(*, env, log, workers=2, port=None):
    """A gunicorn on 127.0.0.1:`port` (a free one by default) with `workers` sync workers; yields
    its base URL once it answers, and stops it (and its workers) on the way out."""
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "laichau_clb.wsgi", "--workers", str(workers),
        "--bind", f"{HOST}:{port}", "--graceful-timeout", "10", "--timeout", "120",
        "--error-logfile", "-", "--log-level", "warning",
    ]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(port, proc, log)
        yield f"http://{HOST}:{port}"
    finally:
        _stop(proc)


def task_worker_available():
    """`manage.py db_worker` (django-tasks-db, issue 16 point 1) where the project has it."""
    return "db_worker" in get_commands()


@contextlib.contextmanager
def task_worker(*, env, log):
    """The background-task worker beside the servers, or nothing where the project has none yet."""
    if not task_worker_available():
        yield None
        return
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "manage.py", "db_worker"], cwd=settings.BASE_DIR, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        _stop(proc)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies shared by every server on 127.0.0.1; redirects are returned, not followed."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(self, url, data=None, headers=None):
        """(status, headers, body text) of a GET, or of a POST when `data` is given (bytes)."""
        req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310  http://127.0.0.1 only
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx and 5xx
            return exc.code, exc.headers, exc.read().decode("utf-8", "replace")

    def csrf_token(self, url):
        status, _headers, body = self.request(url)
        assert status == 200, (url, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, f"no CSRF field on {url}"
        return found.group(1)

    def login(self, base, username, password):
        token = self.csrf_token(f"{base}/login/")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        status, headers, _body = self.request(
            f"{base}/login/", data.encode(), {"Referer": f"{base}/login/", "Content-Type": "application/x-www-form-urlencoded"},
        )
        return status, headers.get("Location", "")

    def post(self, base, path, fields, referer_path):
        token = self.csrf_token(f"{base}{referer_path}")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields})
        return self.request(f"{base}{path}", data.encode(),
                            {"Referer": f"{base}{referer_path}", "Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, base, path, field, filename, content, referer_path):
        """A multipart POST of one file, as the browser sends the workbook upload form."""
        token = self.csrf_token(f"{base}{referer_path}")
        boundary = uuid.uuid4().hex
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(f"{base}{path}", body, {
            "Referer": f"{base}{referer_path}", "Content-Type": f"multipart/form-data; boundary={boundary}",
        })
