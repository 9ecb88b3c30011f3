"""The per-club figure rows kept after every write (reporting/figure_rows.py, issue 16 §2): after each kind
of write, the rows kept for today and each 31 December are exactly what compute() gives live."""
import dataclasses
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from care import home_services
from care import services as care_services
from care.models import HealthSession
from clubs import activity_services
from clubs import services as club_services
from clubs.models import ActivityArea, Area, BoardMembership, Member, Track
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, add_members, commune
from funds import services as fund_services
from funds.models import EntryKind, Fund, Source
from reporting import figure_rows, indicators
from reporting.models import ClubFigureRow, FigureDate
from workbook.importer import import_workbook
from workbook.tests.helpers import full_file, member_row, xlsx

TODAY = timezone.localdate()
YEARS = list(range(TODAY.year - 4, TODAY.year + 1))  # the dashboard's charts without a plan
LAST_YEAR_END = datetime.date(TODAY.year - 1, 12, 31)


def areas():
    province = Area.objects.get(level=Area.Level.PROVINCE)
    return [province, commune(COMMUNE_IN_A).parent, commune(COMMUNE_IN_B), commune(COMMUNE_IN_A)]


def as_dicts(rows):
    return [dataclasses.asdict(r) for r in rows]


def assert_kept_equal_live():
    """Every kept date: no stale row left, each row the live figures, and the dashboard's bundle read
    from the rows the live one, for the province, a former district and communes."""
    dates = list(FigureDate.objects.values_list("as_of", flat=True))
    assert TODAY in dates and LAST_YEAR_END in dates
    assert not ClubFigureRow.objects.filter(stale=True).exists()
    province = areas()[0]
    for on in dates:
        kept = sorted((figure_rows.decode(d)[0] for d in ClubFigureRow.objects.filter(as_of=on)
                       .values_list("data", flat=True)), key=lambda c: c.code)
        assert as_dicts(kept) == as_dicts(indicators.club_figures(area=province, as_of=on)), on
    for area in areas():
        for on in (TODAY, LAST_YEAR_END):
            years = list(range(on.year - 4, on.year + 1))
            read = figure_rows.read(area, on, years)
            live = indicators.dashboard_figures(area=area, as_of=on, years=years)
            assert read is not None
            assert as_dicts(read["rows"]) == as_dicts(live["rows"])
            assert {k: read[k] for k in ("founded", "bands", "loans")} == {k: live[k] for k in ("founded", "bands", "loans")}
            assert (indicators.compute(area=area, as_of=on, clubs=read["rows"]).to_json()
                    == indicators.compute(area=area, as_of=on).to_json())


@pytest.fixture
def kept(settings, db, officer):
    settings.REPORTING_FIGURE_ROWS = True
    figure_rows._DECODED.clear()
    a = ClubFactory(code="CLB-KA", founded_on=datetime.date(2024, 3, 1))
    members = add_members(a, women=5, men=3, on=TODAY)
    b = ClubFactory(code="CLB-KB", commune=commune(COMMUNE_IN_B), founded_on=datetime.date(2025, 2, 1))
    add_members(b, women=2, men=2, on=TODAY)
    call_command("refresh_figures", stdout=open("/dev/null", "w"))
    return {"a": a, "b": b, "members": members, "user": officer}


def written(capture, fn):
    with capture(execute=True):
        result = fn()
    assert_kept_equal_live()
    return result


def money_in(kept, capture, *, on=datetime.date(2025, 1, 5), amount=50_000_000):
    return written(capture, lambda: fund_services.fund_entry_record(
        club=kept["a"], fund=Fund.INCOME, kind=EntryKind.IN, date=on, amount=amount,
        source=Source.PROVINCE_BUDGET, user=kept["user"]))


def test_the_built_rows_are_the_live_figures(kept):
    assert_kept_equal_live()
    assert ClubFigureRow.objects.filter(as_of=TODAY).count() == 2
    assert ClubFigureRow.objects.filter(as_of=datetime.date(2024, 12, 31)).count() == 1  # CLB-KB founded 2025


def test_member_join_and_leave(kept, django_capture_on_commit_callbacks):
    user, a = kept["user"], kept["a"]
    member = written(django_capture_on_commit_callbacks, lambda: club_services.member_add(
        user=user, club=a, code="TV-NEW", full_name="Lò Thị Nhung", gender=Member.Gender.FEMALE,
        birth_year=1950, joined_on=datetime.date(2025, 6, 1)))
    assert figure_rows.read(areas()[0], LAST_YEAR_END, YEARS[:-1])["rows"][0].n == 9
    written(django_capture_on_commit_callbacks, lambda: club_services.member_leave(
        user=user, member=member, left_on=datetime.date(TODAY.year, 2, 1)))
    written(django_capture_on_commit_callbacks, lambda: club_services.member_update(
        user=user, member=kept["members"][0], birth_year=1990))


def test_club_create_update_and_dissolve(kept, django_capture_on_commit_callbacks):
    user = kept["user"]
    club = written(django_capture_on_commit_callbacks, lambda: club_services.club_create(
        user=user, code="CLB-KN", name="CLB bản Nậm", commune=commune(COMMUNE_IN_A),
        founded_on=datetime.date(2025, 5, 1), track=Track.NEW_BUDGET))
    assert ClubFigureRow.objects.filter(club=club, as_of=LAST_YEAR_END).exists()
    written(django_capture_on_commit_callbacks, lambda: club_services.club_update(
        user=user, club=club, commune=commune(COMMUNE_IN_B), regulation_on=datetime.date(2025, 6, 1)))
    written(django_capture_on_commit_callbacks, lambda: club_services.club_dissolve(
        user=user, club=kept["b"], dissolved_on=datetime.date(TODAY.year, 3, 1), reason="Sáp nhập"))
    assert not ClubFigureRow.objects.filter(club=kept["b"], as_of=TODAY).exists()


def test_a_corrected_club_code_moves_the_club_in_the_rows_order(kept, django_capture_on_commit_callbacks):
    """The rows are read in the order of their own code column: a corrected code rewrites it."""
    province = areas()[0]
    assert [c.code for c in figure_rows.read(province, TODAY, YEARS)["rows"]] == ["CLB-KA", "CLB-KB"]
    written(django_capture_on_commit_callbacks, lambda: club_services.club_update(
        user=kept["user"], club=kept["a"], code="CLB-KZ"))
    assert [c.code for c in figure_rows.read(province, TODAY, YEARS)["rows"]] == ["CLB-KB", "CLB-KZ"]


def test_fund_entries_loans_repayments_and_reversals(kept, django_capture_on_commit_callbacks):
    user, a = kept["user"], kept["a"]
    entry = money_in(kept, django_capture_on_commit_callbacks)
    written(django_capture_on_commit_callbacks, lambda: fund_services.fund_entry_record(
        club=a, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=datetime.date(2025, 1, 6), amount=1_000_000,
        source=Source.MEMBERS, user=user))
    loan = written(django_capture_on_commit_callbacks, lambda: fund_services.loan_disburse(
        club=a, member=kept["members"][0], amount=5_000_000, on=datetime.date(2025, 2, 1),
        due_on=datetime.date(2025, 8, 1), user=user))
    by_year = {year: (lent, owed) for year, lent, owed in figure_rows.read(areas()[0], TODAY, YEARS)["loans"]}
    assert by_year[2025] == (5_000_000, 5_000_000)
    repayment = written(django_capture_on_commit_callbacks, lambda: fund_services.repayment_record(
        loan=loan, on=datetime.date(2025, 6, 1), principal=2_000_000, user=user))
    written(django_capture_on_commit_callbacks, lambda: fund_services.repayment_reverse(
        repayment=repayment, on=datetime.date(TODAY.year, 1, 10), reason="Ghi nhầm", user=user))
    other = money_in(kept, django_capture_on_commit_callbacks, on=datetime.date(TODAY.year, 1, 5), amount=1_000_000)
    written(django_capture_on_commit_callbacks, lambda: fund_services.fund_entry_reverse(
        entry=other, on=datetime.date(TODAY.year, 1, 20), reason="Ghi nhầm", user=user))
    assert entry.pk


def test_capital_rotation_and_board_rotation(kept, django_capture_on_commit_callbacks):
    user, a = kept["user"], kept["a"]
    money_in(kept, django_capture_on_commit_callbacks)
    new_club, _out, _into = written(django_capture_on_commit_callbacks, lambda: fund_services.rotation_create(
        source_club=a, amount=10_000_000, on=datetime.date(TODAY.year, 2, 1), user=user,
        club_data={"code": "CLB-KR", "name": "CLB luân chuyển", "commune": commune(COMMUNE_IN_A)}))
    assert ClubFigureRow.objects.filter(club=new_club, as_of=TODAY, stale=False).exists()
    first, second = kept["members"][:2]
    written(django_capture_on_commit_callbacks, lambda: club_services.board_assign(
        user=user, club=a, member=first, role=BoardMembership.Role.CHAIR, started_on=datetime.date(2025, 1, 1)))
    written(django_capture_on_commit_callbacks, lambda: club_services.board_assign(
        user=user, club=a, member=second, role=BoardMembership.Role.CHAIR, started_on=datetime.date(TODAY.year, 1, 1),
        end_current=True))


def test_activities_meetings_health_and_home_care(kept, django_capture_on_commit_callbacks):
    user, a, members = kept["user"], kept["a"], kept["members"]
    written(django_capture_on_commit_callbacks, lambda: activity_services.activity_sheet_save(
        user=user, club=a, year=2025, month=6, rows=[
            {"id": None, "area": ActivityArea.values[0], "date": datetime.date(2025, 6, 3), "content": "Văn nghệ",
             "participants": 8}]))
    written(django_capture_on_commit_callbacks, lambda: activity_services.meeting_record(
        user=user, club=a, held_on=datetime.date(TODAY.year, 3, 10), attendees=members[:4]))
    written(django_capture_on_commit_callbacks, lambda: care_services.health_session_save(
        club=a, user=user, on=datetime.date(TODAY.year, 4, 2), kind=HealthSession.Kind.MONTHLY,
        checks=[{"member": members[0], "systolic": 150, "diastolic": 95, "weight": None},
                {"member": members[1], "systolic": 120, "diastolic": 80, "weight": None}]))
    volunteer = written(django_capture_on_commit_callbacks, lambda: club_services.member_update(
        user=user, member=members[5], is_homecare_volunteer=True))
    care = written(django_capture_on_commit_callbacks, lambda: home_services.care_save(
        user=user, member=members[2], started_on=datetime.date(TODAY.year, 1, 1), volunteers=[volunteer]))
    written(django_capture_on_commit_callbacks, lambda: home_services.visit_save(
        user=user, care=care, volunteer=volunteer, on=datetime.date(TODAY.year, 1, 15)))
    row = figure_rows.read(areas()[0], TODAY, YEARS)["rows"][0]
    assert (row.members_high, row.recipients_active, row.visits) == (1, 1, 1)


def test_workbook_import(kept, django_capture_on_commit_callbacks):
    leaver = kept["members"][1]
    sheets = full_file()  # a new club CLB-X1 with a member, a loan, a repayment, a ledger line, an activity
    sheets["Thành viên"].append(member_row("CLB-KA", leaver.code, **{
        "Họ và tên": leaver.full_name, "Giới tính": "Nữ", "Năm sinh": leaver.birth_year,
        "Ngày tham gia": "01/03/2024", "Ngày rời CLB": "01/02/2025"}))
    result = written(django_capture_on_commit_callbacks, lambda: import_workbook(xlsx(sheets), user=kept["user"]))
    assert result.saved, [(p.sheet, p.row, p.column, p.reason) for p in result.problems]
    assert ClubFigureRow.objects.filter(club__code="CLB-X1", as_of=LAST_YEAR_END).exists()
    assert Member.objects.get(pk=leaver.pk).left_on == datetime.date(2025, 2, 1)


def test_a_stale_club_is_computed_live_until_its_task_runs(kept, django_capture_on_commit_callbacks, monkeypatch):
    from types import SimpleNamespace

    from reporting import tasks

    monkeypatch.setattr(tasks, "refresh_clubs", SimpleNamespace(enqueue=lambda ids: None))  # no worker yet
    club = written_without_check = None
    with django_capture_on_commit_callbacks(execute=True):
        club = club_services.club_create(user=kept["user"], code="CLB-KS", name="CLB chờ", commune=commune(COMMUNE_IN_A),
                                         founded_on=datetime.date(2025, 5, 1), track=Track.NEW_BUDGET)
        written_without_check = club_services.member_add(
            user=kept["user"], club=kept["a"], code="TV-S", full_name="Lò Thị Sen", gender=Member.Gender.FEMALE,
            birth_year=1950, joined_on=datetime.date(2025, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):  # moved to district B: looked for there
        club_services.club_update(user=kept["user"], club=club, commune=commune(COMMUNE_IN_B))
    assert set(ClubFigureRow.objects.filter(stale=True).values_list("club_id", flat=True)) == {club.pk, kept["a"].pk}
    b_rows = figure_rows.read(commune(COMMUNE_IN_B), TODAY, YEARS)["rows"]
    assert [c.code for c in b_rows] == ["CLB-KB", "CLB-KS"]
    for area in areas():
        read = figure_rows.read(area, TODAY, YEARS)
        live = indicators.dashboard_figures(area=area, as_of=TODAY, years=YEARS)
        assert as_dicts(read["rows"]) == as_dicts(live["rows"]) and read["loans"] == live["loans"]
        assert read["founded"] == live["founded"] and read["bands"] == live["bands"]
    assert written_without_check.pk
    figure_rows.refresh([club.pk, kept["a"].pk])
    assert_kept_equal_live()


def test_a_date_without_rows_is_computed_live_and_the_first_write_builds_them(
        kept, officer_client, django_capture_on_commit_callbacks):
    FigureDate.objects.filter(as_of=TODAY).delete()
    ClubFigureRow.objects.filter(as_of=TODAY).delete()
    assert figure_rows.read(areas()[0], TODAY, YEARS) is None
    response = officer_client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200 and "CLB-KA" in response.content.decode()
    # Under the immediate backend no visitor waits for a whole date: the first write of the day builds it.
    assert not FigureDate.objects.filter(as_of=TODAY).exists()
    written(django_capture_on_commit_callbacks, lambda: club_services.club_update(
        user=kept["user"], club=kept["b"], name="CLB đầu ngày"))
    assert ClubFigureRow.objects.filter(as_of=TODAY).count() == 2


def test_with_a_worker_a_visit_enqueues_the_build_of_today(kept, officer_client, monkeypatch):
    from types import SimpleNamespace

    from reporting import tasks

    FigureDate.objects.filter(as_of=TODAY).delete()
    enqueued = []
    monkeypatch.setattr(figure_rows, "_worker", lambda: True)
    monkeypatch.setattr(tasks, "build_date", SimpleNamespace(enqueue=enqueued.append))
    assert officer_client.get(reverse("reporting:dashboard")).status_code == 200
    assert enqueued == [TODAY.isoformat()]


def test_the_build_of_a_new_day_drops_the_earlier_days(kept):
    yesterday = TODAY - datetime.timedelta(days=1)
    if (yesterday.month, yesterday.day) == (12, 31):
        pytest.skip("yesterday is a kept year end")
    ClubFigureRow.objects.filter(as_of=TODAY).update(as_of=yesterday)
    FigureDate.objects.filter(as_of=TODAY).update(as_of=yesterday)
    call_command("refresh_figures", date=TODAY.isoformat(), stdout=open("/dev/null", "w"))
    assert not FigureDate.objects.filter(as_of=yesterday).exists()
    assert not ClubFigureRow.objects.filter(as_of=yesterday).exists()
    assert_kept_equal_live()


def test_refresh_figures_refuses_a_date_that_is_not_kept(kept):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("refresh_figures", date="2025-06-30")


def test_the_dashboard_and_matrix_read_the_rows(kept, officer, staff_a, staff_b):
    from django.test import Client

    # A change past the write paths is not seen while the rows are kept: the page reads them.
    ClubFigureRow.objects.filter(club=kept["a"], as_of=TODAY).update(
        data=figure_rows.encode(dataclasses.replace(indicators.club_figures(area=areas()[0], as_of=TODAY)[0],
                                                    name="CLB đọc từ bảng"), [0] * 12))

    def page(user, **params):
        client = Client()
        client.force_login(user)
        return client.get(reverse("reporting:dashboard"), params).content.decode()

    assert "CLB đọc từ bảng" in page(officer)
    assert "CLB đọc từ bảng" in page(staff_a)
    assert "CLB đọc từ bảng" not in page(staff_b)
    assert "CLB đọc từ bảng" not in page(officer, on=(TODAY - datetime.timedelta(days=3)).isoformat())


def test_the_dashboard_reads_fewer_queries_from_the_rows(kept, officer_client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(reverse("reporting:dashboard")).status_code == 200
        return len(ctx.captured_queries)

    from_rows = count()
    for i in range(5):
        add_members(ClubFactory(code=f"CLB-KQ{i}"), women=2, men=1, on=TODAY)
    call_command("refresh_figures", date=TODAY.isoformat(), stdout=open("/dev/null", "w"))
    assert count() == from_rows
    settings.REPORTING_FIGURE_ROWS = False
    assert count() > from_rows


def test_a_page_after_a_write_decodes_only_the_rows_written_since(kept, django_capture_on_commit_callbacks,
                                                                    monkeypatch):
    province = areas()[0]
    assert len(figure_rows.read(province, TODAY, YEARS)["rows"]) == 2
    decoded = []
    real = figure_rows.decode
    monkeypatch.setattr(figure_rows, "decode", lambda data: decoded.append(data) or real(data))
    figure_rows.read(province, TODAY, YEARS)
    assert decoded == []
    with django_capture_on_commit_callbacks(execute=True):
        club_services.club_update(user=kept["user"], club=kept["b"], name="CLB đổi tên")
    rows = figure_rows.read(province, TODAY, YEARS)["rows"]
    assert len(decoded) == 1 and [c.name for c in rows if c.code == "CLB-KB"] == ["CLB đổi tên"]
    assert_kept_equal_live()


def test_the_annual_report_reads_the_kept_rows_and_prints_the_same(settings, officer):
    from reporting import annual
    from reporting.tests.test_report import build_world, make_report

    province = build_world()
    report = make_report(province, officer)
    live = annual.build_context(report)
    settings.REPORTING_FIGURE_ROWS = True
    figure_rows._DECODED.clear()
    call_command("refresh_figures", stdout=open("/dev/null", "w"))
    reads = []
    real = figure_rows.read
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figure_rows, "read", lambda *a: reads.append((a[1], found := real(*a))) or found)
        kept_context = annual.build_context(report)
    assert [(on, bundle is not None) for on, bundle in reads] == [(datetime.date(2025, 12, 31), True)]
    assert kept_context["tables"] == live["tables"]


@pytest.mark.parametrize("scope", ["today", "last_year_end", "district"])
def test_the_dashboard_read_from_the_rows_is_the_live_page(kept, officer_client, settings, scope):
    """What the user sees (indicators, breakdowns, matrix, charts) is the same page from the rows as live."""
    import re

    from django.core.cache import cache

    params = {"today": {}, "last_year_end": {"on": LAST_YEAR_END.isoformat()},
              "district": {"area": f"district:{commune(COMMUNE_IN_A).parent.code}"}}[scope]

    def page():
        cache.clear()
        html = officer_client.get(reverse("reporting:dashboard"), params).content.decode()
        return re.sub(r'(csrfmiddlewaretoken" value="|CSRFToken": ")[^"]*"', "", html)

    reads = []
    real = figure_rows.read
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figure_rows, "read", lambda *a: reads.append(found := real(*a)) or found)
        from_rows = page()
    assert reads and all(bundle is not None for bundle in reads)
    settings.REPORTING_FIGURE_ROWS = False
    assert from_rows == page()
    assert "CLB-KA" in from_rows


def test_the_demo_data_builds_every_kept_date_as_refresh_figures_does(kept):
    import io

    from reporting.demo import seed_figure_rows

    FigureDate.objects.filter(as_of=LAST_YEAR_END).delete()
    out = io.StringIO()
    seed_figure_rows(stdout=out)
    assert sorted(FigureDate.objects.values_list("as_of", flat=True)) == figure_rows.kept_dates()
    assert f"{len(figure_rows.kept_dates())} ngày" in out.getvalue()
    assert_kept_equal_live()
