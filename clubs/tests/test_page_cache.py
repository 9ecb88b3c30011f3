"""The club list's and a club page's bodies cached until the next committed write (clubs/page_cache.py)."""
import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs import cache as generations
from clubs import services
from clubs.models import Member
from clubs.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_page_cache_on")]


@pytest.fixture
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def _members_shown(page):
    return int(re.search(r'<td class="text-end" data-n="(\d+)">', page).group(1))


def _add_member(club, user, code="TV900"):
    return services.member_add(user=user, club=club, code=code, full_name="Lò Thị Ơn", gender=Member.Gender.FEMALE,
                               birth_year=1956, joined_on=club.founded_on, ethnicity="Thái")


def test_the_club_page_shows_a_member_added_after_it_was_cached(officer_client, officer, club_a,
                                                               django_capture_on_commit_callbacks):
    url = reverse("clubs:detail", args=[club_a.code])
    before = _members_shown(officer_client.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):  # the write commits, as in a request
        _add_member(club_a, officer)
    assert _members_shown(officer_client.get(url).content.decode()) == before + 1


def test_the_club_list_shows_a_club_created_after_it_was_cached(officer_client, officer, club_a,
                                                              django_capture_on_commit_callbacks):
    assert "CLB-NEW" not in officer_client.get(reverse("clubs:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.club_create(user=officer, code="CLB-NEW", name="CLB Mới", commune=club_a.commune,
                             founded_on=datetime.date(2025, 3, 1), track=club_a.track)
    assert "CLB-NEW" in officer_client.get(reverse("clubs:list")).content.decode()


def test_the_body_is_served_from_the_cache_until_the_generation_moves(officer_client, club_a):
    """A write past every write path (a factory here) is not seen until the data generation moves:
    proof that the second request is the cached body, and that the generation is its key."""
    url = reverse("clubs:detail", args=[club_a.code])
    before = _members_shown(officer_client.get(url).content.decode())
    MemberFactory(club=club_a, joined_on=club_a.founded_on)
    assert _members_shown(officer_client.get(url).content.decode()) == before
    generations.bump()
    assert _members_shown(officer_client.get(url).content.decode()) == before + 1


def test_a_cached_list_runs_no_club_query(officer_client, club_a):
    officer_client.get(reverse("clubs:list"))
    with CaptureQueriesContext(connection) as queries:
        page = officer_client.get(reverse("clubs:list")).content.decode()
    assert club_a.code in page
    assert not [q["sql"] for q in queries.captured_queries if "clubs_club" in q["sql"]]


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_district_staff_never_get_the_officers_cached_list(officer, staff_a, club_a, club_b):
    assert club_b.code in _logged_in(officer).get(reverse("clubs:list")).content.decode()
    page = _logged_in(staff_a).get(reverse("clubs:list")).content.decode()
    assert club_a.code in page
    assert club_b.code not in page


def test_a_club_page_cached_for_an_officer_stays_closed_to_another_district(officer, staff_a, club_b):
    url = reverse("clubs:detail", args=[club_b.code])
    assert _logged_in(officer).get(url).status_code == 200
    assert _logged_in(staff_a).get(url).status_code == 404


def test_each_filter_has_its_own_body(officer_client, club_a, club_b):
    officer_client.get(reverse("clubs:list"))
    page = officer_client.get(reverse("clubs:list"), {"q": club_b.code}).content.decode()
    assert club_b.code in page
    assert f'href="/clubs/{club_a.code}/"' not in page


def test_english_and_vietnamese_bodies_are_kept_apart(officer_client, club_a):
    url = reverse("clubs:detail", args=[club_a.code])
    assert "Thành viên đang sinh hoạt" in officer_client.get(url).content.decode()
    officer_client.post(reverse("set_language"), {"language": "en", "next": url})
    english = officer_client.get(url).content.decode()
    assert "Thành viên đang sinh hoạt" not in english
    assert "Active members" in english


def test_no_csrf_token_or_user_name_is_kept_in_a_body(officer_client, officer, club_a):
    from django.core.cache import cache

    officer_client.get(reverse("clubs:detail", args=[club_a.code]))
    officer_client.get(reverse("clubs:list"))
    # LocMemCache in the tests: its keys carry the prefix and version before ours.
    bodies = [cache.get(key.split(":", 2)[2]) for key in list(cache._cache) if ":page:" in key]
    assert len(bodies) == 2
    for body in bodies:
        assert "csrfmiddlewaretoken" not in body
        assert officer.username not in body


def test_a_new_day_renders_afresh(officer_client, club_a, monkeypatch):
    url = reverse("clubs:detail", args=[club_a.code])
    officer_client.get(url)
    MemberFactory(club=club_a, joined_on=club_a.founded_on)
    tomorrow = services.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(services, "today", lambda: tomorrow)
    page = officer_client.get(url).content.decode()
    assert _members_shown(page) == Member.objects.filter(club=club_a).active(on=tomorrow).count()
