"""The same money form sent twice writes one row; the second request shows the first one's result."""
import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from clubs.models import Club, SubmissionToken
from clubs.submissions import ALREADY_SENT, FIELD
from clubs.tests.factories import MemberFactory
from clubs.tests.submission import post_twice, token_from
from funds.models import FundEntry, Loan, Repayment

from .factories import LoanFactory
from .pages import url

pytestmark = pytest.mark.django_db
D = datetime.date


def loan_data(member):
    return {"member": member.pk, "principal": "5.000.000", "disbursed_on": "01/05/2022", "due_on": "01/05/2023",
            "purpose": "Nuôi lợn"}


def test_double_disbursement_makes_one_loan_and_shows_it(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a)
    token = token_from(staff_a_client.get(url("loan_add", funded_a)))
    first, second = post_twice(staff_a_client, url("loan_add", funded_a), loan_data(member), token)
    loan = Loan.objects.get()
    assert first.status_code == 302 and first["Location"] == url("loan_detail", funded_a, loan.pk)
    assert second.redirect_chain == [(url("loan_detail", funded_a, loan.pk), 302)]
    assert str(ALREADY_SENT) in second.content.decode() and loan.code in second.content.decode()


def test_each_rendering_carries_a_new_token(staff_a_client, funded_a):
    page = url("loan_add", funded_a)
    assert token_from(staff_a_client.get(page)) != token_from(staff_a_client.get(page))


def test_a_refused_form_can_be_corrected_and_sent(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a)
    token = token_from(staff_a_client.get(url("loan_add", funded_a)))
    refused = staff_a_client.post(url("loan_add", funded_a), {**loan_data(member), "principal": "abc", FIELD: token})
    assert refused.status_code == 200 and not Loan.objects.exists() and not SubmissionToken.objects.exists()
    corrected = staff_a_client.post(url("loan_add", funded_a), {**loan_data(member), FIELD: token_from(refused)})
    assert corrected.status_code == 302 and Loan.objects.count() == 1


def test_double_repayment_entry_collection_and_rotation_each_write_once(staff_a_client, funded_a):
    loan = LoanFactory(club=funded_a, principal=3_000_000, disbursed_on=D(2022, 5, 1))
    detail = url("loan_detail", funded_a, loan.pk)
    post_twice(staff_a_client, detail, {"paid_on": "01/06/2022", "principal": "500.000"},
               token_from(staff_a_client.get(detail)))
    assert Repayment.objects.count() == 1

    sheet = url("collection", funded_a)
    _first, second = post_twice(staff_a_client, sheet, {"on": "10/07/2022", f"principal_{loan.pk}": "500.000"},
                                token_from(staff_a_client.get(sheet)))
    assert Repayment.objects.count() == 2 and second.redirect_chain[-1][0] == url("cash_book", funded_a, "income")

    add = url("entry_add", funded_a)
    entries = FundEntry.objects.count()
    post_twice(staff_a_client, add, {"fund": "activity", "kind": "in", "date": "01/06/2022", "amount": "300.000",
                                     "source": "members"}, token_from(staff_a_client.get(add)))
    assert FundEntry.objects.count() == entries + 1

    entry = FundEntry.objects.latest("pk")
    reverse_page = url("entry_reverse", funded_a, entry.pk)
    _first, second = post_twice(staff_a_client, reverse_page, {"on": "02/06/2022", "reason": "Nhập nhầm"},
                                token_from(staff_a_client.get(reverse_page)))
    assert FundEntry.objects.count() == entries + 2 and str(ALREADY_SENT) in second.content.decode()

    rotation = url("rotation", funded_a)
    post_twice(staff_a_client, rotation, {"amount": "8.000.000", "on": "01/03/2023", "code": "CLB-LCV1",
                                          "name": "CLB Bản Lìa", "commune": funded_a.commune_id},
               token_from(staff_a_client.get(rotation)))
    assert Club.objects.filter(code="CLB-LCV1").count() == 1
    assert FundEntry.objects.filter(counterpart_club__code="CLB-LCV1").count() == 1


def test_another_persons_token_shows_nothing_of_theirs(staff_a_client, funded_a, officer):
    member = MemberFactory(club=funded_a)
    token = token_from(staff_a_client.get(url("loan_add", funded_a)))
    staff_a_client.post(url("loan_add", funded_a), {**loan_data(member), FIELD: token})
    other = Client()
    other.force_login(officer)
    replay = other.post(url("loan_add", funded_a), {**loan_data(member), FIELD: token})
    assert replay.status_code == 403 and Loan.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite's test database is in memory, where two threads cannot "
                           "write at once; the SQLite queueing is tested on a file in clubs/tests/test_sqlite_writers.py")
def test_two_simultaneous_clicks_make_one_loan(staff_a, funded_a):
    member = MemberFactory(club=funded_a)
    tabs = [Client(), Client()]  # one client per thread: the test client is not thread-safe
    for tab in tabs:
        tab.force_login(staff_a)
    data = {**loan_data(member), FIELD: token_from(tabs[0].get(url("loan_add", funded_a)))}
    barrier = threading.Barrier(2)
    answers = []

    def click(tab):
        try:
            barrier.wait()
            answers.append(tab.post(url("loan_add", funded_a), data))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(tab,)) for tab in tabs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    loan = Loan.objects.get()
    assert [a.status_code for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {url("loan_detail", funded_a, loan.pk)}
