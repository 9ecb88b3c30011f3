"""One journey with a real task worker: `manage.py db_worker` in its own process, against the live
server's database, checks and imports an upload while the page polls its progress."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.local import Local
from django.conf import settings as django_settings
from django.db import connection
from django.tasks import task_backends

from clubs.models import Club, Member
from jobs.models import Job

from .helpers import full_file, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker(settings, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the live server's SQLite test database is in memory: a worker process cannot open it")
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_TASKS
    # django.tasks keeps its backends: start again from the new setting, in every thread.
    monkeypatch.setattr(task_backends, "_settings", task_backends.configure_settings(DATABASE_TASKS))
    monkeypatch.setattr(task_backends, "_connections", Local(task_backends.thread_critical))
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "database", "MEDIA_ROOT": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "laichau_clb.settings.test", "JOBS_PROGRESS_SECONDS": "0.2"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=Path(django_settings.BASE_DIR), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_a_real_worker_checks_and_imports_an_upload(page, login, staff_a, live_server, tmp_path, worker):
    filled = tmp_path / "clb.xlsx"
    filled.write_bytes(xlsx(full_file()))
    login(page, staff_a)
    page.goto(f"{live_server.url}/workbook/")
    page.set_input_files("input[name=file]", str(filled))
    page.click("#upload-form button[type=submit]")
    # The worker takes the check; the page polls and reloads on its own when it is done.
    page.locator("#confirm-import").wait_for(timeout=60_000)
    check = Job.objects.get(kind=Job.Kind.IMPORT_CHECK)
    assert (check.state, check.done, check.total) == (Job.State.DONE, 6, 6) and check.heartbeat_at
    assert page.locator("tr[data-sheet=members] td").nth(1).inner_text() == "1"
    assert not Club.objects.exists()

    page.click("#confirm-import")
    page.locator("#import-done").wait_for(timeout=60_000)
    assert Club.objects.get().code == "CLB-X1"
    assert Member.objects.get().history.get().history_user == staff_a
    write = Job.objects.get(kind=Job.Kind.IMPORT_WRITE)
    assert write.state == Job.State.DONE and write.owner == staff_a
    assert worker.poll() is None  # still running, waiting for the next task
