"""The backup drill of docs/deploy.md, once: pg_dump -Fc of the database, pg_restore into a fresh
database, and `indicators --json` gives the same figures on both."""
import datetime
import json
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from benchmark.servers import database_url
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, add_members, commune

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql" or not shutil.which("pg_dump"),
                       reason="pg_dump and pg_restore are PostgreSQL's backup tools; SQLite is backed up by copying its file"),
    pytest.mark.django_db(transaction=True),
]


def _pg_env(cfg):
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = cfg["PASSWORD"]
    return env


def _pg_args(cfg):
    return ["-h", cfg.get("HOST") or "127.0.0.1", "-p", str(cfg.get("PORT") or 5432), "-U", cfg.get("USER") or "postgres"]


def _indicators(url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "laichau_clb.settings.test"}
    done = subprocess.run([sys.executable, "manage.py", "indicators", "--as-of", "2025-12-31", "--json"],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_dump_and_restore_give_the_same_indicators(tmp_path):
    club = ClubFactory(commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2024, 3, 1))
    add_members(club, women=3, men=2, joined_on=datetime.date(2024, 3, 1))
    cfg = connection.settings_dict
    restored = f"{cfg['NAME']}_restore"
    dump = tmp_path / "laichau_clb.dump"
    args, env = _pg_args(cfg), _pg_env(cfg)
    subprocess.run(["pg_dump", "-Fc", *args, "-f", str(dump), cfg["NAME"]], env=env, check=True, timeout=300)
    subprocess.run(["dropdb", "--if-exists", *args, restored], env=env, check=True)
    subprocess.run(["createdb", *args, restored], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", *args, "-d", restored, str(dump)],
                       env=env, check=True, timeout=300)
        original = _indicators(database_url(cfg))
        assert '"clubs_active": 1,' in original and json.loads(original)  # the club made above, committed
        assert _indicators(database_url({**cfg, "NAME": restored})) == original
    finally:
        subprocess.run(["dropdb", "--if-exists", *args, restored], env=env, check=True)
