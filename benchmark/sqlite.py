"""The benchmark's SQLite section: the province dashboard of the demo province on a fresh SQLite
file (`make run`'s database), cold. Runs in a child process so the benchmark's own connection
stays on PostgreSQL; listed in settings.BENCHMARK_SECTIONS as benchmark.sqlite.sqlite_section."""
import json
import os
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.db import connection

from clubs.models import Club

from benchmark.dataset import CONFIG, measure, ms

SQLITE_LIMIT_SECONDS = 0.3


def sqlite_dashboard_run(*, runs, as_of):
    """In a process whose default database is a fresh SQLite file: migrate, seed the demo province,
    and time the province dashboard cold (cache emptied before every request). Returns a dict."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from clubs.models import Staff

    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    seeded = time.perf_counter() - t0
    user, _ = get_user_model().objects.get_or_create(username="bench.sqlite")
    Staff.objects.get_or_create(user=user, defaults={"role": Staff.Role.OFFICER})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("reporting:dashboard") + f"?on={as_of.isoformat()}"

    def cold():
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    seconds, response = measure(cold, runs)
    return {
        "seconds": seconds, "seed_seconds": seeded, "clubs": Club.objects.active(on=as_of).count(),
        "size": len(response.content), "sqlite": connection.Database.sqlite_version,
    }


def sqlite_section(*, stdout):
    """The province dashboard of the demo province on a fresh SQLite file, cold, in a child process
    (the benchmark's own connection stays on PostgreSQL), against SQLITE_LIMIT_SECONDS."""
    as_of = CONFIG["as_of"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "laichau_clb.settings.dev")}
        code = (
            "import datetime, json, django; django.setup(); from benchmark.sqlite import sqlite_dashboard_run; "
            f"print(json.dumps(sqlite_dashboard_run(runs={CONFIG['runs']}, as_of=datetime.date.fromisoformat('{as_of}'))))"
        )
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR,
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"SQLite benchmark failed:\n{done.stderr[-3000:]}")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    ok = r["seconds"] < SQLITE_LIMIT_SECONDS
    stdout.write(f"sqlite dashboard cold: {ms(r['seconds'])} ({'within' if ok else 'OVER'} {SQLITE_LIMIT_SECONDS} s)\n")
    return "\n".join([
        "## Dashboard on SQLite (`make run`'s database, demo province)",
        "",
        f"A fresh SQLite file (SQLite {r['sqlite']}), migrated and seeded with `seed_demo` "
        f"({ms(r['seed_seconds'])}); the province dashboard at {as_of:%d/%m/%Y} as an officer, cold (cache",
        f"emptied before every request), Django test client, median of {CONFIG['runs']} runs after one warm-up.",
        "",
        "| page | active clubs | cold median | limit | size |",
        "|---|---:|---:|---:|---:|",
        f"| province, officer | {r['clubs']} | {ms(r['seconds'])} | {SQLITE_LIMIT_SECONDS:.3f} s "
        f"{'✓' if ok else '✗ over'} | {r['size'] // 1024:,} KiB |",
        "",
    ])
