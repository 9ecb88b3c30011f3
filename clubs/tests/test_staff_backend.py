"""A signed-in request reads the user and their Staff record in one query (clubs.backends)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _reads_of(queries, table):
    return [q["sql"] for q in queries if f'"{table}"' in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_page_reads_the_user_with_their_staff_record(staff_a_client, club_a):
    with CaptureQueriesContext(connection) as seen:
        response = staff_a_client.get(reverse("clubs:detail", args=[club_a.code]))
    assert response.status_code == 200 and club_a.name in response.content.decode()
    users = _reads_of(seen.captured_queries, "auth_user")
    assert len(users) == 1 and '"clubs_staff"' in users[0]
    assert all('"auth_user"' in sql for sql in _reads_of(seen.captured_queries, "clubs_staff"))


def test_an_account_without_a_staff_record_still_signs_in_and_sees_no_club(client, outsider, club_a):
    client.force_login(outsider)
    assert client.get(reverse("clubs:detail", args=[club_a.code])).status_code == 404
    assert club_a.name not in client.get(reverse("clubs:list")).content.decode()


def test_an_inactive_account_is_signed_out(staff_a_client, staff_a, club_a):
    staff_a.is_active = False
    staff_a.save(update_fields=["is_active"])
    response = staff_a_client.get(reverse("clubs:detail", args=[club_a.code]))
    assert response.status_code == 302 and "login" in response["Location"]
