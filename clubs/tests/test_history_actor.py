"""Every history row a service writes names who acted, with no request (hence no middleware) around:
as from a management command or a shell. Commands name their actor too."""
import datetime
import inspect

import pytest
from django.apps import apps
from django.core.management import call_command

from clubs import activity_services
from clubs import services as club_services
from clubs.actors import SYSTEM_USERNAME
from clubs.models import Staff, Track
from clubs.tests.factories import COMMUNE_IN_A, commune
from funds import services as fund_services
from funds.models import EntryKind, Fund, Source

D = datetime.date


def _history_models():
    return [m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_user")]


def _marks():
    return {m: m.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
            for m in _history_models()}


def _new_rows(marks):
    return [row for m, last in marks.items() for row in m.objects.filter(history_id__gt=last)]


def _services(module):
    """The module's write functions: public, keyword-only, defined there (not imported helpers); the
    *_check functions run a service's rules without writing anything."""
    found = []
    for name, fn in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
            continue
        if name.endswith("_check"):
            continue
        params = inspect.signature(fn).parameters.values()
        if params and all(p.kind == p.KEYWORD_ONLY or p.kind == p.VAR_KEYWORD for p in params):
            found.append(name)
    return found


@pytest.mark.parametrize("module", [club_services, activity_services, fund_services], ids=["clubs", "activities", "funds"])
def test_every_service_takes_the_acting_user(module):
    names = _services(module)
    assert {"member_add", "meeting_record", "loan_disburse"} & set(names)  # the walk finds the services
    for name in names:
        user = inspect.signature(getattr(module, name)).parameters.get("user")
        assert user is not None and user.kind == user.KEYWORD_ONLY and user.default is user.empty, name


def test_every_history_row_written_by_the_services_names_the_user(staff_a):
    marks = _marks()
    called = set()

    def call(module, service, /, **kwargs):
        called.add(service)
        return getattr(module, service)(user=staff_a, **kwargs)

    cs, acts, fs = club_services, activity_services, fund_services
    club = call(cs, "club_create", code="CLB-LS-01", name="CLB Lịch sử", commune=commune(COMMUNE_IN_A),
                founded_on=D(2023, 1, 10), track=Track.NEW_BUDGET)
    club = call(cs, "club_update", club=club, village="Bản Lịch Sử")
    ann = call(cs, "member_add", club=club, code="TV001", full_name="Lò Thị Ghi", gender="female",
               birth_year=1960, joined_on=D(2023, 1, 10))
    bob = call(cs, "member_add", club=club, code="TV002", full_name="Lò Văn Sổ", gender="male",
               birth_year=1958, joined_on=D(2023, 1, 10))
    call(cs, "member_update", member=ann, phone="0912345678")
    seat = call(cs, "board_assign", club=club, member=ann, role="chair", started_on=D(2023, 2, 1))
    call(cs, "board_end", seat=seat, ended_on=D(2024, 2, 1))
    call(cs, "board_assign", club=club, member=bob, role="treasurer", started_on=D(2023, 2, 1))
    call(acts, "activity_sheet_save", club=club, year=2024, month=3,
         rows=[{"id": None, "area": 1, "date": D(2024, 3, 5), "content": "Đo huyết áp", "participants": 20}])
    call(acts, "meeting_record", club=club, held_on=D(2024, 3, 6), attendees=[ann, bob], notes="Sinh hoạt")

    call(fs, "fund_entry_record", club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2023, 2, 1),
         amount=90_000_000, source=Source.PROVINCE_BUDGET)
    wrong = call(fs, "fund_entry_record", club=club, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2023, 2, 1),
                 amount=1_000_000, source=Source.MEMBERS)
    call(fs, "fund_entry_reverse", entry=wrong, on=D(2023, 2, 2), reason="Ghi nhầm")
    loan = call(fs, "loan_disburse", club=club, member=ann, amount=5_000_000, on=D(2023, 3, 1), due_on=D(2024, 3, 1))
    repaid = call(fs, "repayment_record", loan=loan, on=D(2023, 4, 1), principal=1_000_000, interest=10_000)
    call(fs, "repayment_reverse", repayment=repaid, on=D(2023, 4, 2), reason="Ghi nhầm")
    call(fs, "collection_sheet_record", club=club, on=D(2023, 5, 1),
         rows=[{"loan": loan, "principal": 500_000, "interest": 5_000}])
    # Creates its receiving club through club_create, then writes both cash books.
    call(fs, "rotation_create", source_club=club, amount=20_000_000, on=D(2024, 1, 15),
         club_data={"code": "CLB-LS-02", "name": "CLB nhận vốn", "commune": commune(COMMUNE_IN_A)})
    call(cs, "member_leave", member=bob, left_on=D(2024, 6, 1), reason="Chuyển đi")  # ends his seat too
    call(cs, "club_dissolve", club=club, dissolved_on=D(2024, 12, 1), reason="Sáp nhập")

    assert called == set(_services(cs)) | set(_services(acts)) | set(_services(fs))  # a new service is walked here too
    rows = _new_rows(marks)
    kinds = {type(r).__name__ for r in rows}
    assert {"HistoricalClub", "HistoricalMember", "HistoricalBoardMembership", "HistoricalActivity",
            "HistoricalMeeting", "HistoricalFundEntry", "HistoricalLoan", "HistoricalRepayment"} <= kinds
    assert [r for r in rows if r.history_user_id != staff_a.pk] == []


def _staff_history_user(username):
    return Staff.history.filter(user__username=username).latest("history_id").history_user


def test_create_staff_records_who_ran_it(staff_a, district_a):
    call_command("create_staff", "canbo.moi", "--role", "district", "--district", "105", "--password", "Ruong-bac-thang-2025",
                 "--by", "staff_a", stdout=None)
    assert _staff_history_user("canbo.moi") == staff_a
    # Without --by (the very first account has nobody before it): the system account, which cannot sign in.
    call_command("create_staff", "canbo.khac", "--role", "officer", "--password", "Ruong-bac-thang-2025")
    actor = _staff_history_user("canbo.khac")
    assert actor.username == SYSTEM_USERNAME and not actor.is_active and not actor.has_usable_password()


def test_create_staff_refuses_an_unknown_actor_and_the_system_name(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("create_staff", "canbo.moi", "--role", "officer", "--password", "Ruong-bac-thang-2025", "--by", "ai.do")
    with pytest.raises(CommandError, match="tài khoản hệ thống"):
        call_command("create_staff", SYSTEM_USERNAME, "--role", "admin", "--password", "Ruong-bac-thang-2025")
    assert not Staff.objects.exists()
