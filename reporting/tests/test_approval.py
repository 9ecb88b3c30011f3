"""Approving and locking a year (issue 15 point 2): the snapshot, the refusal on every write path, the
report from the snapshot, reopening, and the commands."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from care import services as care_services
from care.models import HealthSession
from clubs import activity_services, services as club_services
from clubs.models import Area, Member, YearApproval
from clubs.tests.factories import COMMUNE_IN_B, ClubFactory, commune
from funds import services as fund_services
from funds.models import EntryKind, Fund, FundEntry, Loan
from funds.tests.factories import FundEntryFactory
from reporting import annual, approval
from reporting.tests.test_report import build_world, make_report
from workbook.importer import import_workbook
from workbook.tests.helpers import full_file, loan_row, xlsx

pytestmark = pytest.mark.django_db
IN_2025 = datetime.date(2025, 6, 11)
IN_2026 = datetime.date(2026, 2, 10)
LOCKED_WORDS = "Năm 2025 đã được phê duyệt số liệu"


def codes(exc):
    return {key: [e.code for e in errors] for key, errors in exc.value.error_dict.items()}


@pytest.fixture
def province(db):
    return build_world()


@pytest.fixture
def approved(province, officer):
    # Money in the income fund before the year, so a loan of 2025 is refused for its year alone.
    FundEntryFactory(club=club_a(), date=datetime.date(2024, 12, 1), amount=500_000_000)
    return approval.year_approve(user=officer, area=province, year=2025, note="Đã đối chiếu với sổ sách")


def club_a():
    from clubs.models import Club

    return Club.objects.get(code="CLB-A1")


def test_approval_freezes_the_figures_of_the_area_and_each_area_below(approved, officer, province):
    indicators = approved.snapshot["indicators"]
    assert indicators["province:" + province.code]["as_of"] == "2025-12-31"
    district = club_a().commune.parent
    assert {"district:" + district.code, "commune:" + club_a().commune.code} <= set(indicators)
    assert indicators["district:" + district.code]["clubs_active"] == 1
    assert set(approved.snapshot["report"]) == {"province:" + province.code} | {
        "district:" + d.code for d in Area.objects.filter(level=Area.Level.DISTRICT)}
    assert (approved.approved_by, approved.note) == (officer, "Đã đối chiếu với sổ sách")
    assert approved.history.get().history_user == officer


def test_only_an_officer_approves_a_finished_year_once(province, officer, staff_a):
    with pytest.raises(ValidationError) as exc:
        approval.year_approve(user=staff_a, area=province, year=2025)
    assert codes(exc) == {"user": ["not_officer"]}
    with pytest.raises(ValidationError) as exc:
        approval.year_approve(user=officer, area=province, year=2026)
    assert codes(exc) == {"year": ["year_not_over"]}
    with pytest.raises(ValidationError) as exc:
        approval.year_approve(user=officer, area=club_a().commune, year=2025)
    assert codes(exc) == {"area": ["area_level"]}
    approval.year_approve(user=officer, area=province, year=2025)
    with pytest.raises(ValidationError) as exc:
        approval.year_approve(user=officer, area=province, year=2025)
    assert codes(exc) == {"year": ["already_approved"]}


# ------------------------------------------------------------ a back-dated loan, on every write path


def test_a_back_dated_loan_is_refused_by_the_service(approved, officer):
    member = club_a().members.first()
    with pytest.raises(ValidationError) as exc:
        fund_services.loan_disburse(club=club_a(), member=member, amount=1_000_000, on=IN_2025,
                                    due_on=datetime.date(2026, 6, 10), user=officer)
    assert codes(exc) == {"disbursed_on": ["year_locked"]}
    assert LOCKED_WORDS in exc.value.messages[0]
    loan = fund_services.loan_disburse(club=club_a(), member=member, amount=1_000_000, on=IN_2026,
                                       due_on=datetime.date(2026, 12, 10), user=officer)
    assert loan.pk  # the following year is open


def test_a_back_dated_loan_is_refused_by_the_form(approved, officer_client):
    member = club_a().members.first()
    before = Loan.objects.count()
    response = officer_client.post(reverse("funds:loan_add", args=["CLB-A1"]), {
        "member": member.pk, "principal": "1.000.000", "disbursed_on": "10/06/2025", "due_on": "10/06/2026",
        "purpose": "Nuôi gà",
    })
    assert response.status_code == 200 and LOCKED_WORDS in response.content.decode()
    assert Loan.objects.count() == before


def test_a_back_dated_loan_is_refused_by_the_import(approved, officer):
    ClubFactory(code="CLB-X1", founded_on=datetime.date(2023, 3, 1))
    before = Loan.objects.count()
    data = xlsx(full_file(**{"Khoản vay": [loan_row(**{"Ngày giải ngân": "10/06/2025", "Ngày đến hạn": "10/06/2026"})]}))
    result = import_workbook(data, user=officer)
    assert not result.saved and Loan.objects.count() == before
    reasons = [p.reason for p in result.problems if p.sheet == "Khoản vay"]
    assert any(LOCKED_WORDS in r for r in reasons), result.problems


def test_the_admin_writes_no_loan(approved, admin_client):
    assert admin_client.get(reverse("admin:funds_loan_add")).status_code == 403


def test_repayments_entries_reversals_and_rotation_dated_in_the_year_are_refused(approved, officer):
    club = club_a()
    loan = Loan.objects.filter(club=club).first()
    with pytest.raises(ValidationError) as exc:
        fund_services.repayment_record(loan=loan, on=IN_2025, principal=100_000, user=officer)
    assert "year_locked" in str(codes(exc))
    with pytest.raises(ValidationError) as exc:
        fund_services.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=IN_2025, amount=1_000,
                                        source="province_budget", user=officer)
    assert codes(exc) == {"date": ["year_locked"]}
    entry = FundEntry.objects.filter(club=club, date__year=2025).first()
    with pytest.raises(ValidationError):
        fund_services.fund_entry_reverse(entry=entry, on=IN_2025, reason="Ghi nhầm", user=officer)
    reversal = fund_services.fund_entry_reverse(entry=entry, on=IN_2026, reason="Ghi nhầm", user=officer)
    assert reversal.date == IN_2026  # a correction dated in the following year is allowed
    with pytest.raises(ValidationError):
        fund_services.rotation_create(source_club=club, amount=1_000, on=IN_2025, new_club=ClubFactory(), user=officer)


def test_club_books_health_and_members_dated_in_the_year_are_refused(approved, officer):
    club = club_a()
    with pytest.raises(ValidationError) as exc:
        activity_services.meeting_record(user=officer, club=club, held_on=IN_2025, attendees=[],
                                         confirm_no_attendees=True)
    assert "year_locked" in str(codes(exc))
    with pytest.raises(ValidationError) as exc:
        club_services.member_add(user=officer, club=club, code="TV-NEW", full_name="Lò Thị Nga", gender="female",
                                 birth_year=1950, joined_on=IN_2025)
    assert codes(exc) == {"joined_on": ["year_locked"]}
    member = Member.objects.filter(club=club).first()
    with pytest.raises(ValidationError):
        care_services.health_session_save(club=club, user=officer, on=IN_2025, kind=HealthSession.Kind.MONTHLY,
                                          checks=[{"member": member, "systolic": 120, "diastolic": 80, "weight": None}])
    # A span row's other fields are not figures of the year: a typo in a name is still corrected.
    club_services.member_update(user=officer, member=member, full_name=member.full_name + " A")


def test_a_district_approval_locks_only_that_district(province, officer):
    district_a = club_a().commune.parent
    approval.year_approve(user=officer, area=district_a, year=2025)
    other = ClubFactory(commune=commune(COMMUNE_IN_B), founded_on=datetime.date(2024, 1, 1))
    FundEntryFactory(club=other, date=IN_2025)  # written directly: the service is tried next
    entry = fund_services.fund_entry_record(club=other, fund=Fund.INCOME, kind=EntryKind.IN, date=IN_2025,
                                            amount=1_000, source="province_budget", user=officer)
    assert entry.pk
    with pytest.raises(ValidationError):
        fund_services.fund_entry_record(club=club_a(), fund=Fund.INCOME, kind=EntryKind.IN, date=IN_2025,
                                        amount=1_000, source="province_budget", user=officer)


# ------------------------------------------------------------ the report, reopening, the dashboard


def test_the_report_of_an_approved_year_prints_the_approved_figures(approved, officer, province):
    report = make_report(province, officer)
    women_then = annual.build_context(report)["ind"].women
    # An edit no lock refuses (not dated in the year) still changes the live figures...
    member = Member.objects.filter(club__code="CLB-A1", gender=Member.Gender.FEMALE).first()
    club_services.member_update(user=officer, member=member, gender=Member.Gender.MALE)
    # ...but the report of 2025 is printed from the approved snapshot.
    assert annual.build_context(report)["ind"].women == women_then
    approval.year_reopen(user=officer, area=province, year=2025, reason="Sửa giới tính")
    assert annual.build_context(report)["ind"].women == women_then - 1


def test_reopening_needs_an_officer_and_a_reason_and_the_dashboard_shows_the_changes(approved, officer, staff_a,
                                                                                    province, officer_client):
    with pytest.raises(ValidationError) as exc:
        approval.year_reopen(user=staff_a, area=province, year=2025, reason="")
    assert codes(exc) == {"user": ["not_officer"], "reason": ["required"]}
    approval.year_reopen(user=officer, area=province, year=2025, reason="Bổ sung khoản vay")
    member = club_a().members.first()
    fund_services.loan_disburse(club=club_a(), member=member, amount=2_000_000, on=IN_2025,
                                due_on=datetime.date(2026, 6, 10), user=officer)
    approved.refresh_from_db()
    assert approved.reopen_reason == "Bổ sung khoản vay" and approved.history.count() == 2
    page = officer_client.get(reverse("reporting:dashboard"), {"on": "2025-12-31"})
    diffs = dict((k, (a, b)) for k, a, b in page.context["approval_diffs"])
    before, after = diffs["loans_disbursed.count"]
    assert after == before + 1
    assert "Số liệu đã thay đổi sau khi phê duyệt" in page.content.decode()


def test_the_commands_approve_and_reopen(province, officer):
    call_command("approve_year", year=2025, username=officer.username, note="Họp ngày 10/01")
    assert YearApproval.objects.standing().get().note == "Họp ngày 10/01"
    with pytest.raises(CommandError, match="đã được phê duyệt"):
        call_command("approve_year", year=2025, username=officer.username)
    district = club_a().commune.parent.code
    call_command("approve_year", "--year", "2025", "--district", district, "--as", officer.username)
    with pytest.raises(CommandError, match="lý do"):
        call_command("reopen_year", year=2025, username=officer.username, reason=" ")
    call_command("reopen_year", "--year", "2025", "--as", officer.username, "--reason", "Sai số liệu")
    assert YearApproval.objects.standing().get().area.code == district


def test_district_staff_reach_no_approval_page(staff_a_client, officer, province):
    found = approval.year_approve(user=officer, area=province, year=2025)
    assert staff_a_client.get(reverse("reporting:approvals")).status_code == 404
    assert staff_a_client.post(reverse("reporting:approvals"), {"year": 2024, "area": province.pk}).status_code == 404
    assert staff_a_client.get(reverse("reporting:approval_reopen", args=[found.pk])).status_code == 404
    assert not YearApproval.objects.filter(year=2024).exists()


def test_the_officer_approves_and_reopens_from_the_pages(officer_client, province):
    response = officer_client.post(reverse("reporting:approvals"), {"year": 2025, "area": province.pk, "note": ""})
    assert response.status_code == 302
    found = YearApproval.objects.get()
    response = officer_client.post(reverse("reporting:approval_reopen", args=[found.pk]), {"reason": ""})
    assert response.status_code == 200 and YearApproval.objects.standing().exists()
    response = officer_client.post(reverse("reporting:approval_reopen", args=[found.pk]), {"reason": "Sửa"})
    assert response.status_code == 302 and not YearApproval.objects.standing().exists()
