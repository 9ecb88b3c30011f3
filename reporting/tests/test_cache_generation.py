"""The dashboard's cached figures follow every write path at once (issue 11, the explicit cache).

Each write runs as it does in production: its transaction commits, so the on_commit bump of
clubs/cache.py happens (captured and executed here, since the test itself rolls back at the end).
"""
import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils import timezone

from clubs import activity_services, cache, services
from clubs.models import Club, Track
from clubs.tests.factories import COMMUNE_IN_A, commune
from funds import services as funds
from funds.models import EntryKind, Fund, Source
from workbook.importer import import_workbook
from workbook.tests.helpers import club_row, member_row, xlsx

pytestmark = pytest.mark.django_db

URL = reverse("reporting:dashboard")


@pytest.fixture
def figures(officer_client):
    def read():
        return officer_client.get(URL, {"on": timezone.localdate().strftime("%d/%m/%Y")}).context["ind"]
    return read


def test_every_write_path_shows_on_the_dashboard_at_once(figures, officer, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    founded = today - datetime.timedelta(days=400)

    def write(step):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            value = step()
        assert callbacks, "a committed write bumps the data generation"
        return value

    assert figures().clubs_active == 0  # cached from here on
    club = write(lambda: services.club_create(user=officer, code="CLB-G1", name="CLB G1", commune=commune(COMMUNE_IN_A),
                                              founded_on=founded, track=Track.NEW_BUDGET))
    assert figures().clubs_active == 1
    member = write(lambda: services.member_add(user=officer, club=club, code="TV001", full_name="Lò Thị Mai", gender="female",
                                               birth_year=1950, joined_on=founded))
    assert (figures().members_active, figures().older) == (1, 1)
    write(lambda: services.member_update(user=officer, member=member, birth_year=1980))
    assert figures().older == 0
    write(lambda: activity_services.activity_sheet_save(user=officer, club=club, year=today.year, month=today.month, rows=[
        {"id": None, "area": area, "date": today, "content": f"Mảng {area}", "participants": 10} for area in range(1, 9)]))
    assert figures().clubs_areas_ok == 1
    write(lambda: funds.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=founded,
                                          amount=50_000_000, source=Source.PROVINCE_BUDGET, user=officer))
    loan = write(lambda: funds.loan_disburse(club=club, member=member, amount=5_000_000, on=today,
                                             due_on=today + datetime.timedelta(days=365), user=officer))
    assert (figures().loans_disbursed_count, figures().outstanding_principal) == (1, 5_000_000)
    write(lambda: funds.repayment_record(loan=loan, on=today, principal=2_000_000, user=officer))
    assert figures().outstanding_principal == 3_000_000
    write(lambda: funds.rotation_create(source_club=club, amount=10_000_000, on=today, user=officer,
                                        club_data={"code": "CLB-G2", "name": "CLB G2", "commune": commune(COMMUNE_IN_A)}))
    assert figures().clubs_active == 2
    result = write(lambda: import_workbook(xlsx({
        "CLB": [club_row("CLB-G3", **{"Ngày thành lập": founded.strftime("%d/%m/%Y"), "Ngày ban hành quy chế": None})],
        "Thành viên": [member_row("CLB-G3", **{"Họ và tên": "Giàng Thị Sua", "Ngày tham gia": founded.strftime("%d/%m/%Y")})],
    })))
    assert result.saved, result.problems
    assert (figures().clubs_active, figures().members_active) == (3, 2)
    write(lambda: services.member_leave(user=officer, member=member, left_on=today))
    assert figures().members_active == 1
    write(lambda: services.club_dissolve(user=officer, club=Club.objects.get(code="CLB-G3"), dissolved_on=today, reason="Sáp nhập"))
    assert figures().clubs_active == 2  # CLB-G1 and its rotation club CLB-G2


def test_a_rolled_back_write_keeps_the_generation_and_migrate_moves_it(django_capture_on_commit_callbacks):
    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=False):
        cache.bump_on_commit()
    assert cache.generation() == before  # the callback never ran: nothing committed
    # Migrations (which load the administrative units) start a new generation.
    post_migrate.send(sender=apps.get_app_config("clubs"), app_config=apps.get_app_config("clubs"), verbosity=0,
                      interactive=False, using="default", apps=apps, plan=[])
    assert cache.generation() > before


def test_the_demo_data_starts_a_new_generation(settings):
    before = cache.generation()
    settings.DEMO_STEPS = []  # only the command's own bump: the demo steps write in bulk, past the services
    call_command("seed_demo", stdout=io.StringIO())
    assert cache.generation() > before
