"""Idle sessions end, logout ends every session, weak passwords are refused everywhere, seed_demo is safe."""
import datetime
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from clubs import demo, passwords
from clubs.middleware import CLOCK
from clubs.management.commands.seed_demo import REFUSED_IN_PRODUCTION
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _session(client):
    return Session.objects.get(pk=client.session.session_key)


def _last_saved(client, *, ago):
    """The session row as if it was last saved `ago` before now: its clock then, its expiry AGE after."""
    row = _session(client)
    data = row.get_decoded()
    data[CLOCK] = int(time.time() - ago.total_seconds())
    row.session_data = SessionStore().encode(data)
    row.expire_date = timezone.now() - ago + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    row.save()


def test_a_session_ends_after_the_idle_time_and_each_request_restarts_the_clock(officer_client):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    officer_client.get(reverse("home"))
    _last_saved(officer_client, ago=datetime.timedelta(hours=7, minutes=59))  # a minute left
    assert officer_client.get(reverse("home")).status_code == 200
    assert _session(officer_client).expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)

    _last_saved(officer_client, ago=datetime.timedelta(hours=8, seconds=1))
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_clock_moves_at_most_once_a_minute_and_never_for_a_visitor(officer_client):
    officer_client.get(reverse("home"))
    _last_saved(officer_client, ago=datetime.timedelta(seconds=30))
    expiry = _session(officer_client).expire_date
    officer_client.get(reverse("home"))
    assert _session(officer_client).expire_date == expiry  # saved 30 s ago: not written again
    _last_saved(officer_client, ago=datetime.timedelta(seconds=settings.SESSION_CLOCK_SECONDS + 1))
    officer_client.get(reverse("home"))
    assert _session(officer_client).expire_date > expiry + datetime.timedelta(seconds=20)

    sessions = Session.objects.count()
    assert Client().get(reverse("login")).status_code == 200
    assert Session.objects.count() == sessions  # a visitor who has not signed in has no session row


def test_logging_out_on_one_device_ends_the_others(officer, staff_a):
    phone, desk, colleague = Client(), Client(), Client()
    for c in (phone, desk):
        assert c.post(reverse("login"), {"username": "officer", "password": PASSWORD}).status_code == 302
    colleague.force_login(staff_a)
    assert desk.get(reverse("home")).status_code == 200
    phone.post(reverse("logout"))
    response = desk.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert colleague.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("1", passwords.TOO_SHORT % {"min_length": 10}),
        ("password123", passwords.TOO_COMMON),
        ("20252026202", passwords.ENTIRELY_NUMERIC),
        ("nguyenvanan1", str(passwords.TOO_SIMILAR) % {"verbose_name": "Tên đăng nhập"}),
    ],
)
def test_create_staff_refuses_weak_passwords_in_vietnamese(password, message):
    with pytest.raises(CommandError) as exc:
        call_command("create_staff", "nguyenvanan", "--role", "officer", "--password", password)
    assert str(message) in str(exc.value)
    assert not get_user_model().objects.filter(username="nguyenvanan").exists()


def test_create_staff_accepts_a_good_password():
    call_command("create_staff", "nguyenvanan", "--role", "officer", "--password", "Suoi-Nung-2025")
    assert get_user_model().objects.get(username="nguyenvanan").check_password("Suoi-Nung-2025")


def test_the_admin_refuses_a_weak_password(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": "canbo.moi", "password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in html
    assert "Mật khẩu không được chỉ gồm chữ số." in html
    assert not get_user_model().objects.filter(username="canbo.moi").exists()


@override_settings(PRODUCTION=True)
def test_seed_demo_refuses_to_run_under_production_settings():
    with pytest.raises(CommandError, match=REFUSED_IN_PRODUCTION):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="quantri").exists()


def test_demo_accounts_never_reset_a_password_they_did_not_set():
    get_user_model().objects.create_superuser("quantri", password="Mat-khau-rieng-cua-toi")
    demo.create_demo_accounts()
    assert get_user_model().objects.get(username="quantri").check_password("Mat-khau-rieng-cua-toi")
    officer = get_user_model().objects.get(username="canbo.tinh")
    assert officer.check_password(demo.DEMO_PASSWORD)
    officer.set_password("Doi-mat-khau-2026")
    officer.save()
    demo.create_demo_accounts()
    assert get_user_model().objects.get(username="canbo.tinh").check_password("Doi-mat-khau-2026")
