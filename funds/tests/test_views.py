"""The funds tab: what staff see and submit, access scoping, and fixed query counts."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs.models import Club, Track
from clubs.tests.factories import ClubFactory, MemberFactory
from funds import ledger, services
from funds.models import Fund, FundEntry, Loan, Repayment, Source

from .factories import FundEntryFactory, LoanFactory, RepaymentFactory
from .pages import url

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def _pages(club, entry=None, loan=None, repayment=None):
    pages = [url("overview", club), url("cash_book", club, "income"), url("cash_book", club, "activity"),
             url("entry_add", club), url("loan_list", club), url("loan_add", club), url("collection", club),
             url("rotation", club), url("statement", club), url("log", club)]
    if entry:
        pages.append(url("entry_reverse", club, entry.pk))
    if loan:
        pages.append(url("loan_detail", club, loan.pk))
    if repayment:
        pages.append(url("repayment_reverse", club, repayment.pk))
    return pages


def test_every_page_renders_for_staff_of_the_district(staff_a_client, funded_a):
    loan = LoanFactory(club=funded_a)
    rep = RepaymentFactory(loan=loan)
    for page in _pages(funded_a, FundEntry.objects.first(), loan, rep):
        resp = staff_a_client.get(page)
        assert resp.status_code == 200, page


def test_other_districts_staff_get_404_on_pages_and_posts(staff_a_client, club_b):
    entry = FundEntryFactory(club=club_b)
    loan = LoanFactory(club=club_b)
    rep = RepaymentFactory(loan=loan)
    for page in _pages(club_b, entry, loan, rep):
        assert staff_a_client.get(page).status_code == 404, page
        assert staff_a_client.post(page, {"on": "01/01/2025", "reason": "x", "amount": "1000"}).status_code == 404, page
    assert FundEntry.objects.count() == 1 and Repayment.objects.count() == 1


def test_objects_of_another_club_are_404_even_through_a_visible_club(staff_a_client, funded_a, club_b):
    loan_b = LoanFactory(club=club_b)
    entry_b = FundEntryFactory(club=club_b)
    assert staff_a_client.get(url("loan_detail", funded_a, loan_b.pk)).status_code == 404
    assert staff_a_client.post(url("entry_reverse", funded_a, entry_b.pk),
                               {"on": TODAY.strftime("%d/%m/%Y"), "reason": "x"}).status_code == 404


def test_anonymous_is_sent_to_login(anon_client, club_a):
    resp = anon_client.get(url("overview", club_a))
    assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_add_entry_accepts_vietnamese_money_and_shows_it_formatted(staff_a_client, club_a):
    resp = staff_a_client.post(url("entry_add", club_a), {
        "fund": "income", "kind": "in", "date": "01/04/2022", "amount": "15.000.000",
        "source": "province_budget", "description": "Vốn ban đầu"})
    assert resp.status_code == 302
    entry = FundEntry.objects.get()
    assert entry.amount == 15_000_000 and entry.voucher_no == "PT-2022-0001"
    page = staff_a_client.get(url("cash_book", club_a, "income") + "?start=01/01/2022&end=31/12/2022")
    assert "15.000.000 đ" in page.content.decode()
    resp = staff_a_client.post(url("entry_add", club_a), {
        "fund": "income", "kind": "out", "date": "02/04/2022", "amount": "16000000", "description": "Rút"})
    assert resp.status_code == 200
    assert "sẽ bị âm" in resp.content.decode()
    assert FundEntry.objects.count() == 1


def test_bad_money_is_explained_next_to_the_field(staff_a_client, club_a):
    resp = staff_a_client.post(url("entry_add", club_a), {
        "fund": "income", "kind": "in", "date": "01/04/2022", "amount": "15,5 triệu", "source": "members"})
    assert resp.status_code == 200
    assert "Số tiền không hợp lệ" in resp.content.decode()
    assert not FundEntry.objects.exists()


def test_disburse_and_repay_through_the_pages(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a, full_name="Lò Thị Mai")
    resp = staff_a_client.post(url("loan_add", funded_a), {
        "member": member.pk, "principal": "5.000.000", "disbursed_on": "01/05/2022", "due_on": "01/05/2023",
        "purpose": "Nuôi lợn", "rate_percent_month": "0,5"})
    loan = Loan.objects.get()
    assert resp.status_code == 302 and resp["Location"] == url("loan_detail", funded_a, loan.pk)
    assert str(loan.rate_percent_month) == "0.50"
    resp = staff_a_client.post(url("loan_detail", funded_a, loan.pk), {
        "paid_on": "01/06/2022", "principal": "6.000.000", "interest": "25.000"})
    assert resp.status_code == 200 and "vượt dư nợ gốc" in resp.content.decode()
    staff_a_client.post(url("loan_detail", funded_a, loan.pk), {
        "paid_on": "01/06/2022", "principal": "1.000.000", "interest": "25.000"})
    page = staff_a_client.get(url("loan_detail", funded_a, loan.pk)).content.decode()
    assert "4.000.000 đ" in page and "Quá hạn" in page


def test_collection_sheet_page_all_or_nothing(staff_a_client, funded_a):
    a = LoanFactory(club=funded_a, principal=3_000_000, disbursed_on=D(2022, 5, 1))
    b = LoanFactory(club=funded_a, principal=4_000_000, disbursed_on=D(2022, 5, 1))
    page = staff_a_client.get(url("collection", funded_a)).content.decode()
    assert a.member.full_name in page and b.member.full_name in page
    data = {"on": "10/06/2022", f"principal_{a.pk}": "500.000", f"interest_{a.pk}": "15.000",
            f"principal_{b.pk}": "4.000.001"}
    resp = staff_a_client.post(url("collection", funded_a), data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "vượt dư nợ gốc" in html, re.findall(r"(?:row-error|invalid-feedback|alert)[^>]*>([^<]*)", html)
    assert 'id="row-%d" class="table-danger"' % b.pk in html
    assert not Repayment.objects.exists()
    data[f"principal_{b.pk}"] = "4.000.000"
    resp = staff_a_client.post(url("collection", funded_a), data)
    assert resp.status_code == 302
    assert Repayment.objects.count() == 2


def test_reverse_entry_page(staff_a_client, funded_a):
    entry = FundEntry.objects.get()
    resp = staff_a_client.post(url("entry_reverse", funded_a, entry.pk),
                               {"on": TODAY.strftime("%d/%m/%Y"), "reason": "Nhập trùng"})
    assert resp.status_code == 302
    assert ledger.income_cash(funded_a, TODAY) == 0
    page = staff_a_client.get(url("cash_book", funded_a, "income") + "?start=01/01/2022").content.decode()
    assert "đã đảo" in page and "Nhập trùng" in page


def test_rotation_page_creates_a_club_in_the_users_area(staff_a_client, funded_a):
    resp = staff_a_client.post(url("rotation", funded_a), {
        "amount": "8.000.000", "on": "01/03/2023", "code": "CLB-LCV1", "name": "CLB Bản Lìa",
        "commune": funded_a.commune_id, "village": "Bản Lìa"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    new = Club.objects.get(code="CLB-LCV1")
    assert new.track == Track.NEW_ROTATION and new.source_club == funded_a
    page = staff_a_client.get(url("overview", funded_a)).content.decode()
    assert "CLB-LCV1" in page and "8.000.000 đ" in page
    assert funded_a.code in staff_a_client.get(url("overview", new)).content.decode()


def test_rotation_form_offers_only_the_users_communes_and_clubs(staff_a_client, funded_a, club_b, district_b):
    ClubFactory(code="CLB-ROT-B", track=Track.NEW_ROTATION, commune=club_b.commune)
    resp = staff_a_client.post(url("rotation", funded_a), {
        "amount": "1.000.000", "on": "01/03/2023", "code": "CLB-X", "name": "X", "commune": club_b.commune_id})
    assert resp.status_code == 200 and not Club.objects.filter(code="CLB-X").exists()
    assert "CLB-ROT-B" not in staff_a_client.get(url("rotation", funded_a)).content.decode()


def test_statement_page_shows_both_funds_and_par30(staff_a_client, funded_a):
    loan = LoanFactory(club=funded_a, disbursed_on=D(2024, 1, 10), due_on=D(2024, 7, 10), principal=5_000_000)
    RepaymentFactory(loan=loan, paid_on=D(2024, 3, 10), principal=1_000_000, interest=50_000)
    page = staff_a_client.get(url("statement", funded_a) + "?start=01/01/2024&end=31/12/2024").content.decode()
    assert "Số dư đầu kỳ" in page and "20.000.000 đ" in page
    assert "5.000.000 đ" in page and "1.000.000 đ" in page and "50.000 đ" in page
    assert "100,0%" in page  # Vietnamese decimal comma; the only loan is more than 30 days overdue at 31/12/2024
    resp = staff_a_client.get(url("statement", funded_a) + "?start=31/12/2024&end=01/01/2024")
    assert "Ngày đầu kỳ phải trước" in resp.content.decode()


def _with_loans(club, n):
    for _ in range(n):
        loan = LoanFactory(club=club, disbursed_on=D(2024, 1, 10), principal=3_000_000)
        RepaymentFactory(loan=loan, paid_on=D(2024, 2, 10))
        FundEntryFactory(club=club, fund=Fund.ACTIVITY, date=D(2024, 2, 1), amount=10_000, source=Source.MEMBERS)


@pytest.mark.parametrize("name", ["overview", "loan_list", "collection", "statement", "cash_book_income",
                                  "cash_book_activity", "log"])
def test_query_count_does_not_grow_with_the_number_of_loans(staff_a_client, funded_a, django_assert_max_num_queries,
                                                            name):
    def path():
        if name.startswith("cash_book"):
            return url("cash_book", funded_a, name.rsplit("_", 1)[1]) + "?start=01/01/2024&end=31/12/2024"
        return url(name, funded_a) + ("?start=01/01/2024&end=31/12/2024" if name == "statement" else "")

    _with_loans(funded_a, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert staff_a_client.get(path()).status_code == 200
    _with_loans(funded_a, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff_a_client.get(path()).status_code == 200


def test_officer_sees_every_districts_funds(officer_client, club_b):
    FundEntryFactory(club=club_b, amount=7_000_000)
    page = officer_client.get(url("overview", club_b)).content.decode()
    assert "7.000.000 đ" in page


def test_statement_loan_book_lists_loans_open_during_the_period(staff_a_client, funded_a):
    old = LoanFactory(club=funded_a, code="KV-CU", disbursed_on=D(2023, 1, 5), due_on=D(2023, 7, 5))
    RepaymentFactory(loan=old, paid_on=D(2023, 7, 1), principal=old.principal)
    current = LoanFactory(club=funded_a, code="KV-MOI", disbursed_on=D(2024, 2, 5), due_on=D(2024, 8, 5))
    page = staff_a_client.get(url("statement", funded_a) + "?start=01/01/2024&end=31/12/2024").content.decode()
    assert current.code in page and old.code not in page


def test_reverse_repayment_page(staff_a_client, funded_a):
    loan = LoanFactory(club=funded_a, disbursed_on=D(2024, 1, 10))
    rep = RepaymentFactory(loan=loan, paid_on=D(2024, 2, 10), principal=1_000_000, interest=25_000)
    resp = staff_a_client.post(url("repayment_reverse", funded_a, rep.pk),
                               {"on": TODAY.strftime("%d/%m/%Y"), "reason": "Ghi nhầm khoản vay"})
    assert resp.status_code == 302
    rev = Repayment.objects.get(reverses=rep)
    assert (rev.principal, rev.interest, rev.paid_on) == (-1_000_000, -25_000, TODAY)
    page = staff_a_client.get(url("loan_detail", funded_a, loan.pk)).content.decode()
    assert "đã đảo" in page and "Ghi nhầm khoản vay" in page


def test_admin_shows_fund_rows_but_cannot_change_or_delete_them(client, django_user_model, funded_a):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.com", "mat-khau-quan-tri")
    client.force_login(admin_user)
    entry = FundEntry.objects.get()
    assert client.get(reverse("admin:funds_fundentry_changelist")).status_code == 200
    client.post(reverse("admin:funds_fundentry_change", args=[entry.pk]), {"amount": "1"})
    client.post(reverse("admin:funds_fundentry_delete", args=[entry.pk]), {"post": "yes"})
    entry.refresh_from_db()
    assert entry.amount == 20_000_000


def test_log_shows_who_wrote_each_row_and_reversals(staff_a_client, staff_a, club_a):
    staff_a_client.post(url("entry_add", club_a), {
        "fund": "activity", "kind": "in", "date": "01/04/2022", "amount": "300.000", "source": "members"})
    entry = FundEntry.objects.get()
    staff_a_client.post(url("entry_reverse", club_a, entry.pk), {"on": TODAY.strftime("%d/%m/%Y"), "reason": "trùng"})
    page = staff_a_client.get(url("log", club_a)).content.decode()
    assert "PT-2022-0001" in page and "(bút toán đảo)" in page and "staff_a" in page and "300.000 đ" in page


def test_capital_panel_drops_a_reversed_rotation_but_keeps_the_link(staff_a_client, staff_a, funded_a):
    new, out, _into = services.rotation_create(
        source_club=funded_a, amount=8_000_000, on=D(2023, 3, 1), user=staff_a,
        club_data={"code": "CLB-LCV2", "name": "CLB Nậm Tăm", "commune": funded_a.commune},
    )
    giver = staff_a_client.get(url("overview", funded_a)).content.decode()
    assert "CLB-LCV2" in giver and "8.000.000 đ" in giver and "chưa ghi phiếu luân chuyển" not in giver
    services.fund_entry_reverse(entry=out, on=D(2023, 3, 5), reason="Ghi nhầm", user=staff_a)
    giver = staff_a_client.get(url("overview", funded_a)).content.decode()
    panel = giver[giver.index('id="capital-links"'):]
    # The club still names its source, but no live rotation entry remains: shown as not yet recorded.
    assert "CLB-LCV2" in panel and "chưa ghi phiếu luân chuyển" in panel and "8.000.000 đ" not in panel
    receiver = staff_a_client.get(url("overview", new)).content.decode()
    panel = receiver[receiver.index('id="capital-links"'):]
    assert funded_a.code in panel and "chưa ghi phiếu luân chuyển" in panel and "8.000.000 đ" not in panel


def test_admin_repayment_list_query_count_does_not_grow(client, django_user_model, funded_a,
                                                       django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "mat-khau-quan-tri"))
    page = reverse("admin:funds_repayment_changelist")
    _with_loans(funded_a, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    _with_loans(funded_a, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(page).status_code == 200


def test_every_amount_has_one_ceiling_with_a_message(staff_a_client, funded_a):
    from clubs.fields import AMOUNT_TOO_BIG, MAX_AMOUNT

    message = str(AMOUNT_TOO_BIG % {"max": "1.000.000.000.000 đ"})
    resp = staff_a_client.post(url("entry_add", funded_a), {
        "fund": "income", "kind": "in", "date": "01/04/2022", "amount": str(2**63 - 1), "source": "province_budget"})
    assert resp.status_code == 200 and message in resp.content.decode()
    assert FundEntry.objects.count() == 1
    member = MemberFactory(club=funded_a, joined_on=D(2022, 1, 1))
    loan = LoanFactory(club=funded_a, member=member, principal=1_000_000, disbursed_on=D(2022, 5, 1))
    resp = staff_a_client.post(url("loan_detail", funded_a, loan.pk), {
        "paid_on": "01/06/2022", "principal": "0", "interest": "9.223.372.036.854.775.807"})
    assert resp.status_code == 200 and message in resp.content.decode()
    assert not Repayment.objects.exists()
    resp = staff_a_client.post(url("entry_add", funded_a), {
        "fund": "income", "kind": "in", "date": "01/04/2022", "amount": str(MAX_AMOUNT), "source": "province_budget"})
    assert resp.status_code == 302 and FundEntry.objects.filter(amount=MAX_AMOUNT).exists()
