"""Care periods and visits in the admin: listed with their history, never added, changed nor deleted there."""
import datetime

import pytest
from django.urls import reverse

from care.tests.factories import care_for, visit_of
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_care_and_visits_are_read_only_in_the_admin(client, django_user_model, club_a):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "mat-khau-quan-tri"))
    volunteer = MemberFactory(club=club_a, is_homecare_volunteer=True)
    care = care_for(MemberFactory(club=club_a, full_name="Lò Thị Mai"), datetime.date(2025, 3, 1), volunteers=[volunteer])
    visit = visit_of(care, volunteer, datetime.date(2025, 3, 5))
    for name, obj in (("care", care), ("visit", visit)):
        page = client.get(reverse(f"admin:care_{name}_changelist"))
        assert page.status_code == 200 and "Lò Thị Mai" in page.content.decode()
        assert client.get(reverse(f"admin:care_{name}_change", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"admin:care_{name}_add")).status_code == 403
        assert client.post(reverse(f"admin:care_{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:care_visit_change", args=[visit.pk]), {"removed": "on", "date": "2025-03-06"})
    visit.refresh_from_db()
    assert not visit.removed and visit.date == datetime.date(2025, 3, 5)
