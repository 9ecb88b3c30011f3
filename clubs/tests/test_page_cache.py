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


def _add_member(club, user, code="TV900", full_name="Lò Thị Ơn"):
    return services.member_add(user=user, club=club, code=code, full_name=full_name, gender=Member.Gender.FEMALE,
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


def test_a_cached_list_counts_no_member(officer_client, club_a):
    officer_client.get(reverse("clubs:list"))
    with CaptureQueriesContext(connection) as queries:
        page = officer_client.get(reverse("clubs:list")).content.decode()
    assert club_a.code in page
    assert not [q["sql"] for q in queries.captured_queries if "clubs_member" in q["sql"] or "clubs_activity" in q["sql"]]


def test_a_write_to_a_club_on_another_page_leaves_the_list_page_cached(officer_client, officer, club_a, club_b,
                                                                      monkeypatch, django_capture_on_commit_callbacks):
    from clubs import views

    monkeypatch.setattr(views, "CLUBS_PER_PAGE", 1)  # club A on page 1, club B on page 2

    def members_listed(page):
        return int(re.search(r'<td class="text-end[^"]*">(\d+)', page.split(f'href="/clubs/{club_a.code}/"', 1)[1]).group(1))

    before = members_listed(officer_client.get(reverse("clubs:list")).content.decode())
    MemberFactory(club=club_a, joined_on=club_a.founded_on)  # past every write path: shows once page 1 renders
    with django_capture_on_commit_callbacks(execute=True):
        _add_member(club_b, officer)
    assert members_listed(officer_client.get(reverse("clubs:list")).content.decode()) == before
    with django_capture_on_commit_callbacks(execute=True):
        services.club_create(user=officer, code="ZZ-NEW", name="CLB Cuối danh sách", commune=club_a.commune,
                             founded_on=datetime.date(2025, 3, 1), track=club_a.track)
    page = officer_client.get(reverse("clubs:list")).content.decode()
    assert "3 CLB." in page  # the count is asked on every request: a club on page 3 changes page 1's
    assert members_listed(page) == before + 1


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
    # Each body is kept twice: under the data generation and under its clubs' stamps.
    bodies = {cache.get(key.split(":", 2)[2]) for key in list(cache._cache) if ":page:" in key}
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


def test_a_write_to_another_club_leaves_a_club_page_cached(officer_client, officer, club_a, club_b,
                                                         django_capture_on_commit_callbacks):
    """Data entry goes on all day across the country: a club's page is rendered again after a write to
    that club, not after every write. The factory row is invisible until club A's page renders again."""
    url = reverse("clubs:detail", args=[club_a.code])
    before = _members_shown(officer_client.get(url).content.decode())
    MemberFactory(club=club_a, joined_on=club_a.founded_on)
    with django_capture_on_commit_callbacks(execute=True):
        _add_member(club_b, officer)
    assert _members_shown(officer_client.get(url).content.decode()) == before
    with django_capture_on_commit_callbacks(execute=True):
        _add_member(club_a, officer, code="TV901", full_name="Tao Thị Mai")
    assert _members_shown(officer_client.get(url).content.decode()) == before + 2


def test_the_club_list_follows_a_write_to_any_club(officer_client, officer, club_a, club_b,
                                                 django_capture_on_commit_callbacks):
    def members_listed():
        row = officer_client.get(reverse("clubs:list")).content.decode().split(f'href="/clubs/{club_b.code}/"', 1)[1]
        return int(re.search(r'<td class="text-end[^"]*">(\d+)', row).group(1))

    before = members_listed()
    with django_capture_on_commit_callbacks(execute=True):
        _add_member(club_b, officer)
    assert members_listed() == before + 1


def test_a_club_made_from_a_cached_club_shows_on_its_page(officer_client, officer, club_a,
                                                        django_capture_on_commit_callbacks):
    """The source club's page names the clubs made from its capital: writing the new club renders the
    source's page again too."""
    url = reverse("clubs:detail", args=[club_a.code])
    assert "CLB-LC" not in officer_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.club_create(user=officer, code="CLB-LC", name="CLB Luân chuyển", commune=club_a.commune,
                             founded_on=services.today(), track="new_rotation", source_club=club_a)
    assert "CLB-LC" in officer_client.get(url).content.decode()


def test_a_renamed_source_club_shows_on_the_pages_of_the_clubs_made_from_it(officer_client, officer, club_a,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = services.club_create(user=officer, code="CLB-LC", name="CLB Luân chuyển", commune=club_a.commune,
                                    founded_on=services.today(), track="new_rotation", source_club=club_a)
    url = reverse("clubs:detail", args=[made.code])
    assert club_a.name in officer_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.club_update(user=officer, club=club_a, name="CLB Nguồn vốn đổi tên")
    assert "CLB Nguồn vốn đổi tên" in officer_client.get(url).content.decode()


def test_a_write_of_no_one_club_renders_every_club_page_again(officer_client, club_a):
    """Approvals, migrations and the demo data move the wide generation (clubs/cache.py)."""
    url = reverse("clubs:detail", args=[club_a.code])
    before = _members_shown(officer_client.get(url).content.decode())
    MemberFactory(club=club_a, joined_on=club_a.founded_on)
    generations.bump(wide=False)  # what a write of some other club moves
    assert _members_shown(officer_client.get(url).content.decode()) == before
    generations.bump()
    assert _members_shown(officer_client.get(url).content.decode()) == before + 1
