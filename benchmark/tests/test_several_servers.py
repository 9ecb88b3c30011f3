"""Several app servers on one PostgreSQL and one media store (issue 16 point 3, docs/deploy.md): two
gunicorns on two loopback ports (and the task worker, where the project has `db_worker`). A workbook
imported through server A is on server B, with the session cookie A gave: nothing lives in a process."""
import re
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from benchmark import servers
from clubs.models import Club, Staff
from clubs.tests.factories import ensure_areas
from workbook.models import Upload
from workbook.tests.helpers import club_row, member_row, xlsx

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several servers share one database server: SQLite is the one-server `make run` database",
)
pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-may-chu-2026"
CODE = "CLB-HAI-MAY"


def _redis_url():
    """Both servers share Redis when it runs here; the test proves the same without it."""
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis: each server keeps its own cache
        return None
    return "redis://127.0.0.1:6379/0"


def _officer(django_user_model):
    ensure_areas()  # an earlier transactional test may have flushed them: the file's commune must exist
    # The servers run production's hashers, not the tests' fast one.
    user = django_user_model.objects.create(
        username="canbo.maychu", first_name="Cán bộ", password=PBKDF2PasswordHasher().encode(PASSWORD, "muoi-co-dinh"),
    )
    Staff.objects.create(user=user, role=Staff.Role.OFFICER)
    return user


def test_an_import_on_server_a_is_seen_on_server_b_with_the_same_session(django_user_model, tmp_path):
    _officer(django_user_model)
    db_url = servers.database_url(connection.settings_dict)
    shared = {
        "DATABASE_URL": db_url, "MEDIA_ROOT": tmp_path / "media", "REPORTS_ROOT": tmp_path / "reports",
        # One SECRET_KEY for every server: it signs the session's user (a different key logs out).
        "SECRET_KEY": f"loopback-only-{tmp_path.name}-{connection.settings_dict['NAME']}",
        # B sends its dashboard reads to a "replica": the same database, which proves the routing runs
        # in a real server (the alias chosen is asserted in laichau_clb/tests/test_replica.py).
    }
    cache = _redis_url()
    if cache:
        shared.update(CACHE_URL=cache, CACHE_KEY_PREFIX=f"{connection.settings_dict['NAME']}-{tmp_path.name}")
    env_a = servers.server_env(**shared)
    env_b = servers.server_env(**shared, DATABASE_REPLICA_URL=db_url)
    book = xlsx({"CLB": [club_row(CODE)], "Thành viên": [member_row(club=CODE)]})

    with servers.gunicorn(env=env_a, log=tmp_path / "a.log", workers=2) as a, \
            servers.gunicorn(env=env_b, log=tmp_path / "b.log", workers=2) as b, \
            servers.task_worker(env=env_a, log=tmp_path / "worker.log"):
        assert a != b
        browser = servers.Browser()
        status, location = browser.login(a, "canbo.maychu", PASSWORD)
        assert status == 302 and location == "/", (status, location, (tmp_path / "a.log").read_text()[-2000:])
        session = browser.cookie("sessionid")
        assert session

        status, headers, _body = browser.upload(a, "/workbook/upload/", "file", "clb-hai-may.xlsx", book, "/workbook/")
        assert status == 302, (status, (tmp_path / "a.log").read_text()[-2000:])
        preview = headers["Location"]
        upload_id = re.search(r"/workbook/([0-9a-f-]{36})/", preview).group(1)
        # The check runs on the worker: the preview shows its progress until the result is there.
        body = until(lambda: browser.request(f"{a}{preview}")[2], "Xác nhận nhập", tmp_path)
        status, headers, _body = browser.post(a, f"/workbook/{upload_id}/confirm/", {}, preview)
        assert status == 302, (status, (tmp_path / "a.log").read_text()[-2000:])
        # So does the import; once written, the upload says so (read here through server B).
        until(lambda: browser.request(f"{b}/clubs/{CODE}/")[2], f"CLB {CODE}", tmp_path)

        # Server B: the same cookie (a session row in the database), the club, its page, the dashboard.
        status, _headers, body = browser.request(f"{b}/clubs/?q={CODE}")
        assert status == 200 and CODE in body
        assert browser.cookie("sessionid") == session
        status, _headers, body = browser.request(f"{b}/clubs/{CODE}/")
        assert status == 200 and f"CLB {CODE}" in body and "Lò Thị Mai" in browser.request(f"{b}/clubs/{CODE}/thanh-vien/")[2]
        status, _headers, body = browser.request(f"{b}/reporting/")
        assert status == 200, body[-2000:]
        # The uploaded file is in the shared media: B reads it back for the error copy.
        status, headers, _body = browser.request(f"{b}/workbook/{upload_id}/loi.xlsx")
        assert status == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats")

    upload = Upload.objects.get(pk=upload_id)
    assert upload.imported_at is not None
    assert (tmp_path / "media" / upload.file.name).exists()
    assert Club.objects.get(code=CODE).members.count() == 1


def until(read, words, tmp_path, seconds=60):
    """The page `read()` returns once it shows `words` (the worker has done its part), or a failure."""
    deadline = time.monotonic() + seconds
    while True:
        body = read()
        if words in body:
            return body
        if time.monotonic() > deadline:
            worker = (tmp_path / "worker.log").read_text()[-2000:] if (tmp_path / "worker.log").exists() else ""
            alerts = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', body, flags=re.S)[:5]
            raise AssertionError(f"{words!r} not shown after {seconds} s; page says {alerts}; worker log: {worker}")
        time.sleep(0.5)
