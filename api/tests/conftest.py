"""Tokens for the personas of the root conftest, and a client that sends one."""
import pytest

from api.services import token_create, token_revoke
from clubs.tests.factories import recorder


@pytest.fixture
def officer_key(officer):
    return token_create(user=officer, name="tổng hợp toàn quốc", actor=recorder())[1]


@pytest.fixture
def key_a(staff_a):
    return token_create(user=staff_a, name="huyện A", actor=recorder())[1]


@pytest.fixture
def key_b(staff_b):
    return token_create(user=staff_b, name="huyện B", actor=recorder())[1]


@pytest.fixture
def revoked_key(staff_a):
    token, key = token_create(user=staff_a, name="đã thu hồi", actor=recorder())
    token_revoke(token=token, actor=recorder())
    return key


@pytest.fixture
def api_get(client):
    def get(url, key=None, **params):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return client.get(url, params, headers=headers)
    return get
