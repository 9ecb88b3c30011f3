"""The load section measures pages, not redirects (no timing assertions): real gunicorn, real wrk, a
few clubs. A session the server does not know, answered with a quick 302 to the login page, once
passed for 88 req/s of club lists; every answer but a 200 must count as an error."""
import io
import re
import shutil

import pytest
from django.db import connection

from benchmark import load, servers
from clubs.tests.factories import ClubFactory, add_members, ensure_areas
from funds.models import FundEntry

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the servers and the writer share one database server, as in production"),
    pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is installed by scripts/install-system-packages"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.benchmark,
]


@pytest.fixture
def short_runs(monkeypatch):
    monkeypatch.setattr(load, "SECONDS", 1)
    monkeypatch.setattr(load, "WARM_UP", 1)
    monkeypatch.setattr(load, "SESSIONS", 2)


@pytest.fixture
def clubs():
    ensure_areas()  # an earlier transactional test may have flushed them
    made = [ClubFactory(code=f"CLB-TAI-{i}") for i in range(3)]
    for club in made:
        add_members(club, women=2, men=1)
    return made


def _rows(markdown):
    """The table's rows as (page, body cached, req/s, errors, met)."""
    found = []
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| club ") and len(cells) == 9:
            found.append((cells[0], cells[1], float(cells[2]), int(cells[6]), cells[8]))
    return found


def test_every_case_serves_the_pages_themselves_with_writes_committed_while_it_runs(short_runs, clubs):
    out = io.StringIO()
    markdown = load.section(stdout=out)
    rows = _rows(markdown)
    assert [(page.split()[1], cached) for page, cached, *_ in rows] == [
        ("list", "yes"), ("page", "yes"), ("list", "yes, 2 writes/s"), ("page", "yes, 2 writes/s"),
        ("list", "no"), ("page", "no"),
    ]
    assert all(rps > 0 and errors == 0 for _page, _cached, rps, errors, _met in rows), markdown
    # The writer ran during both runs with writes, through the service, on the clubs of the dataset.
    written = FundEntry.objects.filter(description__startswith="benchmark: issue 16")
    assert written.exists() and {e.club_id for e in written} <= {c.pk for c in clubs}
    counted = [int(n) for n in re.findall(r"(\d+) writes in", out.getvalue())]
    assert len(counted) == 2 and sum(counted) == written.count()


def test_an_answer_that_is_not_the_page_counts_as_an_error(short_runs, clubs, tmp_path):
    env = servers.server_env(DATABASE_URL=servers.database_url(connection.settings_dict))
    with servers.gunicorn(env=env, log=tmp_path / "gunicorn.log", workers=1) as base:
        signed_in = load._sessions(base)
        found = load._wrk(base, ["/clubs/"], ["not-a-session"], tmp_path, "lost")
        assert found["requests"] > 0 and found["errors"] == found["requests"]  # each one a 302 to /login/
        found = load._wrk(base, ["/clubs/"], signed_in, tmp_path, "kept")
        assert found["requests"] > 0 and found["errors"] == 0
        with pytest.raises(RuntimeError, match="did not answer its page"):
            load._check(base, ["/clubs/"], signed_in[0], lambda _path, body: "CLB-KHONG-CO" in body)
