"""The admin keeps the rules: it writes no register row and deletes nothing (issue 11)."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from clubs.models import Activity, BoardMembership, Club, Meeting, Member
from clubs.tests.factories import ActivityFactory, BoardMembershipFactory, ClubFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "mat-khau-quan-tri")
    client.force_login(user)
    return user


def test_a_delete_from_the_admin_is_refused_and_the_club_stays(client, root):
    club = ClubFactory(code="CLB-DEL")
    response = client.post(reverse("admin:clubs_club_delete", args=[club.pk]), {"post": "yes"})
    assert response.status_code == 403
    client.post(reverse("admin:clubs_club_changelist"), {"action": "delete_selected", "_selected_action": [club.pk], "post": "yes"})
    assert Club.objects.filter(pk=club.pk).exists()


def test_no_model_of_the_project_can_be_deleted_from_the_admin(rf, root):
    request = rf.get("/admin/")
    request.user = root
    registered = [(model, model_admin) for model, model_admin in admin.site._registry.items()
                  if model._meta.app_label in ("clubs", "funds", "reporting", "workbook") or model._meta.label == "auth.User"]
    assert {m._meta.label for m, _ in registered} >= {"clubs.Club", "clubs.Member", "funds.Loan", "reporting.Plan", "auth.User"}
    for model, model_admin in registered:
        assert not model_admin.has_delete_permission(request), model
    assert "delete_selected" not in dict(admin.site.actions)


def test_register_rows_are_read_only_in_the_admin(client, root):
    member = MemberFactory(full_name="Lò Thị Mai")
    seat = BoardMembershipFactory(club=member.club, member=member)
    activity = ActivityFactory(club=member.club)
    for model, obj in ((Club, member.club), (Member, member), (BoardMembership, seat), (Activity, activity)):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:clubs_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:clubs_{name}_add")).status_code == 403
        client.post(reverse(f"admin:clubs_{name}_change", args=[obj.pk]), {"full_name": "Đổi tên", "name": "Đổi tên"})
        history = obj.history.first()
        response = client.post(reverse(f"admin:clubs_{name}_simple_history", args=[obj.pk, history.history_id]), {})
        assert response.status_code == 403
    member.refresh_from_db()
    assert member.full_name == "Lò Thị Mai" and member.club.name != "Đổi tên"
    assert client.get(reverse("admin:clubs_meeting_add")).status_code == 403
    assert Meeting in apps.get_app_config("clubs").get_models()
