"""The plan's activities in the admin: listed with their history, never added, changed nor deleted there."""
import pytest
from django.urls import reverse

from programme.tests.factories import budget, supervision, training

pytestmark = pytest.mark.django_db


def test_read_only_in_the_admin(client, django_user_model, club_a, district_a):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "mat-khau-quan-tri"))
    for name, obj in (("training", training(district_a, topic="Quản lý quỹ")), ("budgetline", budget(district_a)),
                      ("supervisionvisit", supervision(club_a))):
        assert client.get(reverse(f"admin:programme_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:programme_{name}_change", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"admin:programme_{name}_history", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"admin:programme_{name}_add")).status_code == 403
        assert client.post(reverse(f"admin:programme_{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
