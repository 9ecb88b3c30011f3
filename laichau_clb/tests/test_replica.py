"""The read replica (laichau_clb/routers.py): with DATABASE_REPLICA_URL configured, the dashboard's
reads go to the "replica" alias; a write, an open transaction and every other page stay on the
primary. The replica here is a second connection to the test database itself: it proves which alias
serves, not replication (docs/deploy.md says what lag a real replica adds)."""
import copy

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.models import Club
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, add_members, commune
from laichau_clb.routers import REPLICA, read_alias, replica_reads

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second connection to the in-memory SQLite test database would see another, empty database; "
               "the router itself does not depend on the database (a replica is a PostgreSQL set-up)",
    ),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """DATABASES["replica"] as DATABASE_REPLICA_URL makes it (a test mirror of the primary), pointing
    at the test database; added before the tests' database access is set up, which checks aliases."""
    if connection.vendor != "postgresql":
        yield
        return
    config = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    config["TEST"]["MIRROR"] = DEFAULT_DB_ALIAS
    django_settings.DATABASES[REPLICA] = config
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del django_settings.DATABASES[REPLICA]


@pytest.fixture
def replica():
    return connections[REPLICA]


def _tables(queries):
    return " ".join(q["sql"] for q in queries)


def test_without_a_replica_every_read_stays_on_the_primary(monkeypatch):
    monkeypatch.delitem(django_settings.DATABASES, REPLICA)
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert Club.objects.all().db == DEFAULT_DB_ALIAS


def test_reads_in_a_replica_block_use_the_replica_and_nothing_else_does(replica):
    club = ClubFactory(commune=commune(COMMUNE_IN_A))  # committed: the second connection sees it
    assert Club.objects.all().db == DEFAULT_DB_ALIAS
    with replica_reads():
        with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_primary:
            assert Club.objects.get(pk=club.pk).code == club.code
        assert len(on_replica) == 1 and not on_primary.captured_queries
    assert Club.objects.all().db == DEFAULT_DB_ALIAS


def test_a_read_after_a_write_in_the_same_block_stays_on_the_primary(replica):
    club = ClubFactory(commune=commune(COMMUNE_IN_A))
    with replica_reads():
        assert Club.objects.all().db == REPLICA
        Club.objects.filter(pk=club.pk).update(name="CLB vừa đổi tên")
        assert Club.objects.all().db == DEFAULT_DB_ALIAS
        assert Club.objects.get(pk=club.pk).name == "CLB vừa đổi tên"
    with replica_reads():  # a new block (the next request) reads the replica again
        assert Club.objects.all().db == REPLICA


def test_inside_a_transaction_on_the_primary_reads_stay_there(replica):
    with transaction.atomic(), replica_reads():
        club = ClubFactory.build(commune=commune(COMMUNE_IN_A))
        assert read_alias() == DEFAULT_DB_ALIAS and Club.objects.all().db == DEFAULT_DB_ALIAS
        assert club.pk is None


def test_the_dashboard_reads_its_figures_from_the_replica(replica, officer_client):
    club = ClubFactory(commune=commune(COMMUNE_IN_A))
    add_members(club, women=2, men=1)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_primary:
        response = officer_client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert "clubs_club" in _tables(on_replica.captured_queries)
    assert "clubs_member" in _tables(on_replica.captured_queries)
    # The primary served the session and the login, nothing of the figures.
    primary = _tables(on_primary.captured_queries)
    assert "django_session" in primary
    assert "clubs_club" not in primary and "clubs_member" not in primary


def test_other_pages_read_the_primary_even_with_a_replica(replica, officer_client):
    ClubFactory(commune=commune(COMMUNE_IN_A))
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_primary:
        assert officer_client.get(reverse("clubs:list")).status_code == 200
    assert not on_replica.captured_queries
    assert "clubs_club" in _tables(on_primary.captured_queries)
