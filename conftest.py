"""Personas shared by every test: an officer, staff of district A and of district B, and anonymous."""
import os

import pytest
from django.core.cache import cache

from clubs.templatetags import clb
from django.utils import translation

from clubs.models import Staff
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, commune, district

# live_server runs the app in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DISTRICT_A = "105"  # Thành phố Lai Châu
DISTRICT_B = "106"  # Huyện Tam Đường
PASSWORD = "mat-khau-thu-nghiem"


def make_staff(django_user_model, username, role, district_code=None):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, first_name=username)
    Staff.objects.create(user=user, role=role, district=district(district_code) if district_code else None)
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test rolls its data back without a commit, so no write path bumps the data generation
    (clubs/cache.py): figures cached by the previous test must not be read by the next one. Nor the
    fragments a page keeps in its process ({% memo %}) on that generation: the club list's filters."""
    cache.clear()
    clb._memo.clear()


@pytest.fixture
def district_a(db):
    return district(DISTRICT_A)


@pytest.fixture
def district_b(db):
    return district(DISTRICT_B)


@pytest.fixture
def officer(db, django_user_model):
    return make_staff(django_user_model, "officer", Staff.Role.OFFICER)


@pytest.fixture
def staff_a(db, django_user_model):
    return make_staff(django_user_model, "staff_a", Staff.Role.DISTRICT, DISTRICT_A)


@pytest.fixture
def staff_b(db, django_user_model):
    return make_staff(django_user_model, "staff_b", Staff.Role.DISTRICT, DISTRICT_B)


@pytest.fixture
def outsider(db, django_user_model):
    """Logged in, but with no staff role: sees nothing."""
    return django_user_model.objects.create_user(username="outsider", password=PASSWORD)


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(client, officer):
    return _client_for(client, officer)


@pytest.fixture
def staff_a_client(client, staff_a):
    return _client_for(client, staff_a)


@pytest.fixture
def staff_b_client(client, staff_b):
    return _client_for(client, staff_b)


@pytest.fixture
def anon_client(client):
    return client


@pytest.fixture
def club_a(db):
    return ClubFactory(code="CLB-A1", name="CLB Đoàn Kết", commune=commune(COMMUNE_IN_A))


@pytest.fixture
def club_b(db):
    return ClubFactory(code="CLB-B1", name="CLB Bình Lư", commune=commune(COMMUNE_IN_B))


@pytest.fixture(autouse=True)
def back_to_default_language():
    # A request in English leaves English active in this thread; later tests expect Vietnamese.
    yield
    translation.deactivate()


# ------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def login(live_server):
    """Log a page in through the real login form."""

    def _login(page, user):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return _login
