"""The printed member register (sổ thành viên, issue 12 Paper)."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clubs.models import Member
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def path(club):
    return reverse("clubs:members_print", args=[club.code])


def test_register_lists_the_members_on_the_day_with_marks_and_a_signature_column(staff_a_client, club_a):
    club_a.founded_on = D(2020, 1, 1)
    club_a.save()
    woman = MemberFactory(club=club_a, full_name="Lò Thị Xuân", gender=Member.Gender.FEMALE, birth_year=1950,
                          joined_on=D(2021, 3, 1), village="Bản Hon")
    man = MemberFactory(club=club_a, full_name="Tòng Văn Ún", gender=Member.Gender.MALE, birth_year=1990,
                        joined_on=D(2021, 3, 1))
    left = MemberFactory(club=club_a, full_name="Lường Thị Đã Rời", joined_on=D(2021, 3, 1), left_on=D(2023, 6, 1))

    html = staff_a_client.get(path(club_a)).content.decode()
    table = re.search(r'<table[^>]*id="member-register-print">(.*?)</table>', html, re.S).group(1)
    assert woman.full_name in table and man.full_name in table and left.full_name not in table
    row = re.search(r"<tr>\s*<td[^>]*>\d+</td><td>%s</td>(.*?)</tr>" % woman.code, table, re.S).group(1)
    assert "Lò Thị Xuân" in row and "Nữ" in row and "1950" in row and "Bản Hon" in row and "01/03/2021" in row
    # Older person and woman marked, an empty cell to sign.
    assert row.count('<td class="text-center">x</td>') == 2 and '<td class="blank"></td>' in row
    assert "2 người" in html and "1 phụ nữ, 1 người cao tuổi" in html
    assert "Sổ thành viên" in html and "css/print.css" in html and club_a.commune.name in html
    for signer in ("Người lập", "Thủ quỹ", "Chủ nhiệm CLB"):
        assert signer in html

    # On a day before she left, she is on the register.
    earlier = staff_a_client.get(path(club_a) + "?on=01/01/2023").content.decode()
    assert left.full_name in earlier and "01/01/2023" in earlier


def test_member_list_links_to_the_register(staff_a_client, club_a):
    html = staff_a_client.get(reverse("clubs:members", args=[club_a.code])).content.decode()
    assert path(club_a) in html and "In sổ" in html


def test_other_districts_staff_get_404_on_the_register(staff_a_client, club_b):
    assert staff_a_client.get(path(club_b)).status_code == 404


def test_register_query_count_does_not_grow_with_its_rows(staff_a_client, club_a):
    MemberFactory(club=club_a)
    with CaptureQueriesContext(connection) as few:
        staff_a_client.get(path(club_a))
    for _ in range(5):
        MemberFactory(club=club_a)
    with CaptureQueriesContext(connection) as many:
        assert staff_a_client.get(path(club_a)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
