"""Load test (`benchmark --only load`): wrk against one gunicorn with 4 workers on a loopback port,
on the benchmark database, logged in (16 officer sessions, one cookie per request in turn), for a
bounded time per page. Targets (issue 16): club list >= 200 req/s with p95 < 100 ms, club page >= 150 req/s."""
import contextlib
import json
import random
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from django.db import connection

from clubs.models import Club, Staff

from . import servers

WORKERS = 4
CONNECTIONS = 8
SECONDS = 15
WARM_UP = 3  # seconds of wrk before each timed run: the workers' first requests compile templates and SQL
SESSIONS = 16
# Writes a second during the "writes going on" runs: data entry all day at national scale. Two a second
# is about ten times what the benchmark's own data implies (some 600,000 rows a year, over 250 working
# days of 8 hours, most of them by imports of many rows in one commit).
WRITES_PER_SECOND = 2
# Every answer but a 200 counts as an error (wrk itself counts only >= 400): a lost session answers a
# quick 302 to the login page, which must not pass for a page.
LUA = """
cookies = {%(cookies)s}
paths = {%(paths)s}
n = 0
threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
not_ok = 0
response = function(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Cookie"] = "sessionid=" .. cookies[(n %% #cookies) + 1]})
end
done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
  end
  io.write(string.format('{"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + bad))
end
"""


def WRK():  # noqa: N802 - the program's full path, found once per run
    return shutil.which("wrk")


def _officer():
    """The benchmark's officer: the sessions sign in as it, and the writes going on are its."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username="bench-load", defaults={"first_name": "Tải"})
    Staff.objects.get_or_create(user=user, defaults={"role": Staff.Role.OFFICER})
    return user


def _sessions(base):
    """SESSIONS officer sessions, each logged in through the server's own login page: a session made in
    this process would be signed with another SECRET_KEY than the server's, and the server would answer
    every request with a redirect to the login page."""
    user = _officer()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    password = secrets.token_urlsafe(16)
    # The servers run production's hashers, whatever this process runs (the tests' is a fast one).
    user.password = PBKDF2PasswordHasher().encode(password, secrets.token_hex(8))
    user.save(update_fields=["password"])
    cookies = []
    for _ in range(SESSIONS):
        browser = servers.Browser()
        status, location = browser.login(base, user.username, password)
        if status != 302 or location.rstrip("/").endswith("/login"):
            raise RuntimeError(f"login on {base} failed: {status} {location}")
        cookies.append(browser.cookie("sessionid"))
    return cookies


def _check(base, paths, cookie, shows):
    """Each path answers 200 with the page itself (`shows(path, body)`) for a logged-in session."""
    browser = servers.Browser()
    for path in paths:
        status, _headers, body = browser.request(f"{base}{path}", headers={"Cookie": f"sessionid={cookie}"})
        if status != 200 or not shows(path, body):
            raise RuntimeError(f"{path} did not answer its page: {status}")


def _wrk(base, paths, cookies, workdir, name):
    script = Path(workdir) / f"{name}.lua"
    script.write_text(LUA % {"cookies": ", ".join(f'"{c}"' for c in cookies),
                             "paths": ", ".join(f'"{p}"' for p in paths)})
    subprocess.run([WRK(), "-t2", f"-c{CONNECTIONS}", f"-d{WARM_UP}s", "-s", str(script), base], capture_output=True, timeout=60)  # warm-up
    done = subprocess.run([WRK(), "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), base],
                          capture_output=True, text=True, timeout=SECONDS + 60)
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][-1]
    found = json.loads(line)
    found["rps"] = found["requests"] / found["seconds"]
    return found


@contextlib.contextmanager
def _writes_going_on(per_second):
    """Real committed writes through a service while the block runs, on clubs drawn at random from the
    whole country, `per_second` a second (none when 0): a 1.000 đ activity-fund receipt dated today."""
    if not per_second:
        yield {"writes": 0}
        return
    from django.db import connections

    from clubs.services import today
    from funds import services as fund_services
    from funds.models import EntryKind, Fund, Source

    user = _officer()
    clubs = list(Club.objects.active(on=today()).values_list("pk", flat=True))
    done = {"writes": 0}
    stop = threading.Event()

    def write():
        pick = random.Random(16)  # noqa: S311  a benchmark's reproducible draw
        started = time.monotonic()
        try:
            # On a fixed clock: the time a write takes does not slow the rate down.
            while not stop.wait(max(0.0, started + (done["writes"] + 1) / per_second - time.monotonic())):
                fund_services.fund_entry_record(
                    club=Club.objects.get(pk=pick.choice(clubs)), fund=Fund.ACTIVITY, kind=EntryKind.IN,
                    date=today(), amount=1000, source=Source.MEMBERS, user=user,
                    description="benchmark: issue 16, writes during the load test")
                done["writes"] += 1
        finally:
            connections.close_all()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield done
    finally:
        stop.set()
        writer.join(timeout=30)


def section(*, stdout):
    if not shutil.which("wrk"):
        return "## Load test\n\nSkipped: `wrk` is not installed (`apt-get install wrk`).\n"
    codes = list(Club.objects.order_by("code").values_list("code", flat=True)[:50])
    rows = []
    # With the page bodies cached (clubs/page_cache.py: served until the next committed write), and
    # without (PAGE_CACHE_SECONDS=0: every request renders, as the first one after a write does).
    # And cached with writes going on (WRITES_PER_SECOND, a task worker recomputing each written club's
    # figures beside the server), as a working day at national scale.
    for cached, cache_seconds, writes in (("yes", "600", 0), (f"yes, {WRITES_PER_SECOND} writes/s", "600", WRITES_PER_SECOND),
                                          ("no", "0", 0)):
        env = servers.server_env(DATABASE_URL=servers.database_url(connection.settings_dict), CONN_MAX_AGE="600",
                                 PAGE_CACHE_SECONDS=cache_seconds)
        with tempfile.TemporaryDirectory() as workdir, contextlib.ExitStack() as beside:
            if writes:
                beside.enter_context(servers.task_worker(env=env, log=Path(workdir) / "worker.log"))
            with servers.gunicorn(env=env, log=Path(workdir) / "gunicorn.log", workers=WORKERS) as base:
                cookies = _sessions(base)
                for label, paths, rps_target, p95_target, shows in (
                    ("club list `/clubs/`", ["/clubs/"], 200, 100, lambda _path, body: f"/clubs/{codes[0]}/" in body),
                    ("club page `/clubs/CODE/` (50 clubs in turn)", [f"/clubs/{c}/" for c in codes], 150, None,
                     lambda path, body: path.strip("/").rsplit("/", 1)[-1] in body),
                ):
                    _check(base, paths, cookies[0], shows)
                    stdout.write(f"  wrk {label}, body cached: {cached}")
                    with _writes_going_on(writes) as written:
                        started = time.monotonic()
                        r = _wrk(base, paths, cookies, workdir, "page")
                        elapsed = time.monotonic() - started
                    if writes:
                        stdout.write(f"    {written['writes']} writes in {elapsed:.0f} s")
                    met = r["rps"] >= rps_target and (p95_target is None or r["p95"] < p95_target) and not r["errors"]
                    rows.append(f"| {label} | {cached} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                                f"{r['p99']:.1f} | {r['errors']} | ≥ {rps_target} req/s"
                                f"{f', p95 < {p95_target} ms' if p95_target else ''} | {'yes' if met else '**no**'} |")
    return "\n".join([
        "## Load test (wrk, several app servers' unit: one gunicorn)",
        "",
        f"`wrk -t2 -c{CONNECTIONS} -d{SECONDS}s` on 127.0.0.1 after a {WARM_UP} s warm-up, against gunicorn with {WORKERS} sync",
        f"workers (`laichau_clb.settings.base`, DEBUG off, CONN_MAX_AGE=600), {SESSIONS} logged-in officer sessions",
        "sent in turn (every request reads its session row, saved at most once a minute: clubs.middleware.SessionIdleClock). wrk, gunicorn",
        "and PostgreSQL share the same 2 CPUs, which other work on the machine also uses. Every answer but a",
        "200 counts as an error, and each page is checked to be the page itself before the run. \"Body cached\":",
        "the page's body is kept until the next committed write (clubs/page_cache.py), as between writes; \"no\"",
        "renders it for every request, as for the first request after a write. \"With writes\": real writes through",
        f"a service (an activity-fund receipt) on clubs drawn at random from the whole country, {WRITES_PER_SECOND} a second",
        "through the warm-up and the run, with a task worker beside the server recomputing the written clubs.",
        "",
        "| page | body cached | req/s | p50 ms | p95 ms | p99 ms | errors | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
        *rows,
        "",
    ])
