"""The same demo data gives the same `indicators --json`, byte for byte, on SQLite and PostgreSQL.

Each database is built the way a user builds it (`migrate`, `seed_demo`) in a separate process, and
the command is run there for several dates and scopes. The suite's own database is left alone.
"""
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)
DATES = ("2022-12-31", "2024-06-30", "2025-02-28", "2025-12-31", "2026-11-30")
SCOPES = ((), ("--district", "105"), ("--district", "110"), ("--commune", "03388"))

# One process per database: every (date, scope) answer of the real command, as one JSON list.
PRINT_ALL = f"""
import io, json
from django.core.management import call_command
out = []
for day in {DATES!r}:
    for scope in {SCOPES!r}:
        buf = io.StringIO()
        call_command("indicators", "--as-of", day, *scope, "--json", stdout=buf)
        out.append([day, list(scope), json.loads(buf.getvalue())])
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="cần PostgreSQL: phép so hai cơ sở dữ liệu chạy một lần, ở lượt kiểm thử PostgreSQL (make test-pg)",
)


def _manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "laichau_clb.settings.test"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"manage.py {args[0]} on {url}: {done.stderr[-2000:]}"
    return done.stdout


def _figures(url):
    _manage(url, "migrate", "--noinput", "-v0")
    _manage(url, "seed_demo")
    # The last line: Django's shell may first say what it imported.
    return json.loads(_manage(url, "shell", "--no-imports", "-c", PRINT_ALL).strip().splitlines()[-1])


@pytest.fixture
def new_postgres_url():
    """Makes fresh PostgreSQL databases beside the test database, all dropped afterwards."""
    import psycopg2
    from psycopg2 import sql

    cfg = settings.DATABASES["default"]
    params = {k: v for k, v in {
        "user": cfg.get("USER"), "password": cfg.get("PASSWORD"),
        "host": cfg.get("HOST"), "port": cfg.get("PORT"),
    }.items() if v}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    auth = cfg.get("USER") or "postgres"
    if cfg.get("PASSWORD"):
        auth += f":{cfg['PASSWORD']}"
    made = []

    def make():
        name = f"crossdb_{uuid.uuid4().hex[:10]}"
        with admin.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        made.append(name)
        return f"postgres://{auth}@{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/{name}"

    try:
        yield make
    finally:
        with admin.cursor() as cur:
            for name in made:
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def _both(new_postgres_url):
    """Both databases' answers, from demos seeded on the same day. The demo's dates count back from
    today, so a run crossing midnight in Asia/Ho_Chi_Minh between the two seeds would compare two
    different provinces: it is done again, once, on new databases."""
    for _ in range(2):
        day = timezone.localdate()
        with tempfile.TemporaryDirectory() as tmp:
            on_sqlite = _figures(f"sqlite:///{tmp}/demo.sqlite3")
        on_postgres = _figures(new_postgres_url())
        if timezone.localdate() == day:
            return on_sqlite, on_postgres
    pytest.fail("hai lần chạy đều qua nửa đêm")


def test_indicators_json_is_identical_on_sqlite_and_postgresql(new_postgres_url):
    on_sqlite, on_postgres = _both(new_postgres_url)

    assert len(on_sqlite) == len(DATES) * len(SCOPES)
    # The demo has clubs, members and loans at the later dates: a comparison of empty answers proves nothing.
    last = {tuple(scope): figures for day, scope, figures in on_postgres if day == "2025-12-31"}
    assert last[()]["clubs_active"] > 50 and last[()]["outstanding_principal"] > 0
    for (day, scope, pg), (_, _, lite) in zip(on_postgres, on_sqlite):
        assert lite == pg, f"{day} {' '.join(scope) or 'tỉnh'}: SQLite and PostgreSQL differ"
