"""`make run`'s first step on a fresh machine: `seed_demo --migrate --skip-checks` migrates an empty
SQLite database and seeds the demo province in the one start-up of Django, so the server that follows
opens on the demo data with its logins."""
import os
import sqlite3
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection

from clubs.demo import DEMO_PASSWORD


@pytest.mark.skipif(connection.vendor != "sqlite", reason="make run's database is SQLite: one run of the suite is enough")
def test_seed_demo_migrates_an_empty_database_and_seeds_it(tmp_path, settings):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # manage.py's own default
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                              capture_output=True, text=True, timeout=600)

    seeded = manage("seed_demo", "--migrate", "--skip-checks")
    assert seeded.returncode == 0, seeded.stderr
    assert "canbo.tinh" in seeded.stdout  # the logins are printed for the user to sign in with
    unapplied = manage("migrate", "--check", "--skip-checks")
    assert unapplied.returncode == 0, unapplied.stdout + unapplied.stderr

    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        clubs = db.execute("SELECT count(*) FROM clubs_club").fetchone()[0]
        members = db.execute("SELECT count(*) FROM clubs_member").fetchone()[0]
        (password,) = db.execute("SELECT password FROM auth_user WHERE username = 'canbo.tinh'").fetchone()
    assert clubs > 0
    assert members >= 40 * clubs * 0.5  # clubs with their members, not empty shells
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the server's, not the tests'
    assert check_password(DEMO_PASSWORD, password)
