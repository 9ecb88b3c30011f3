"""API tokens: hashed, shown once, revoked but never deleted, with their history; the officer's page
and the command."""
import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from api import services
from api.models import ApiToken
from clubs.tests.factories import recorder

pytestmark = pytest.mark.django_db


def test_the_key_is_stored_only_as_its_hash(staff_a):
    token, key = services.token_create(user=staff_a, name="  tổng hợp   quý ", actor=recorder())
    assert key.startswith("lcclb_") and len(key) > 40
    assert token.key_hash == services.key_hash(key) and key not in token.key_hash
    assert token.prefix == key[:12]
    assert token.name == "tổng hợp quý"
    assert not ApiToken.objects.filter(key_hash=key).exists()


def test_refused_without_a_name_or_for_an_account_without_a_role(outsider, staff_a):
    with pytest.raises(ValidationError) as caught:
        services.token_create(user=outsider, name=" ", actor=recorder())
    assert caught.value.message_dict == {
        "name": [str(services.NAME_REQUIRED)],
        "user": [str(services.ACCOUNT_NOT_STAFF) % {"username": "outsider"}],
    }
    staff_a.is_active = False
    staff_a.save()
    with pytest.raises(ValidationError):
        services.token_create(user=staff_a, name="x", actor=recorder())
    assert not ApiToken.objects.exists()


def test_revoking_keeps_the_row_and_the_history_says_who(staff_a, officer):
    token, key = services.token_create(user=staff_a, name="huyện A", actor=recorder())
    services.token_revoke(token=token, actor=officer)
    token.refresh_from_db()
    assert token.revoked and token.revoked_by == officer and token.revoked_at is not None
    history = list(token.history.order_by("history_date"))
    assert [(h.history_type, h.revoked, h.history_user) for h in history] == [
        ("+", False, recorder()), ("~", True, officer)]
    with pytest.raises(ValidationError) as caught:
        services.token_revoke(token=token, actor=officer)
    assert caught.value.messages == [str(services.ALREADY_REVOKED)]
    assert ApiToken.objects.count() == 1


def test_last_use_is_recorded_to_the_minute_outside_the_history(api_get, key_a):
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    api_get("/api/v1/areas", key_a)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api_get("/api/v1/areas", key_a)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    api_get("/api/v1/areas", key_a)
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=1)
    assert token.history.count() == 1


# ------------------------------------------------------------------ command


def test_command_prints_the_key_once_and_it_works(staff_a, officer, api_get):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "staff_a", "--name", "tổng hợp", "--as", "officer", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert "chỉ in một lần" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.user == staff_a and token.created_by == officer and token.history.get().history_user == officer
    assert api_get("/api/v1/areas", key).status_code == 200


def test_command_refusals(outsider):
    with pytest.raises(CommandError, match="Không có người dùng ai-do"):
        call_command("create_api_token", "ai-do", "--name", "x", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="không phải cán bộ"):
        call_command("create_api_token", "outsider", "--name", "x", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


# ------------------------------------------------------------------ the officer's page


@pytest.mark.parametrize("persona, status", [("officer", 200), ("staff_a", 404), ("staff_b", 404), ("outsider", 403)])
def test_page_access(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/api/tokens/").status_code == status


def test_page_sends_the_anonymous_to_the_login(anon_client):
    response = anon_client.get("/api/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_district_staff_cannot_make_or_revoke(staff_a_client, staff_a, officer):
    token, _key = services.token_create(user=officer, name="x", actor=officer)
    assert staff_a_client.post("/api/tokens/", {"user": staff_a.pk, "name": "của tôi"}).status_code == 404
    assert staff_a_client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert ApiToken.objects.count() == 1 and not token.revoked


def test_officer_makes_a_token_sees_the_key_once_then_revokes_it(officer_client, officer, staff_a, api_get):
    response = officer_client.post("/api/tokens/", {"user": staff_a.pk, "name": "tổng hợp toàn quốc"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode() and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert token.user == staff_a and token.created_by == officer
    assert api_get("/api/v1/clubs", key).status_code == 200

    listing = officer_client.get("/api/tokens/").content.decode()
    assert "tổng hợp toàn quốc" in listing and token.prefix in listing and key not in listing

    response = officer_client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)
    assert "Đã thu hồi mã tổng hợp toàn quốc" in response.content.decode()
    assert api_get("/api/v1/clubs", key).status_code == 401
    assert ApiToken.objects.filter(revoked=True).count() == 1


def test_page_shows_every_error_at_once(officer_client):
    response = officer_client.post("/api/tokens/", {"user": "", "name": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"user", "name"}
    assert not ApiToken.objects.exists()


def test_revoke_is_post_only(officer_client, officer):
    token, _key = services.token_create(user=officer, name="x", actor=officer)
    assert officer_client.get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
    assert officer_client.post("/api/tokens/999999/revoke/").status_code == 404


def test_page_queries_do_not_grow_with_tokens(officer_client, officer, staff_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.token_create(user=staff_a, name="a", actor=officer)
    with CaptureQueriesContext(connection) as small:
        assert officer_client.get("/api/tokens/").status_code == 200
    for i in range(6):
        services.token_create(user=staff_a if i % 2 else officer, name=f"mã {i}", actor=officer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert officer_client.get("/api/tokens/").content.decode().count("Thu hồi</button>") == 7


def test_the_home_page_links_the_token_page_for_officers_only(officer_client, staff_a, client):
    assert 'href="/api/tokens/"' in officer_client.get("/").content.decode()
    client.force_login(staff_a)
    assert 'href="/api/tokens/"' not in client.get("/").content.decode()


def test_the_page_and_the_api_messages_speak_english_when_asked(officer_client, api_get, client):
    from django.conf import settings

    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = officer_client.get("/api/tokens/").content.decode()
    assert "Tokens issued" in page and "Create token" in page and "Các mã đã cấp" not in page
    response = client.get("/api/v1/areas", headers={"Accept-Language": "en"})
    assert response.json()["detail"].startswith("A valid API token is needed")
