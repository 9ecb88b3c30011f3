"""The upload and the confirmation, each sent twice, make one upload and one import."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clubs.models import Club, Member
from clubs.submissions import ALREADY_SENT, FIELD
from clubs.tests.submission import post_twice, token_from
from workbook.models import Upload

from .helpers import full_file, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_double_upload_and_double_confirm_import_once(officer_client):
    index = reverse("workbook:index")
    token = token_from(officer_client.get(index), form_action=reverse("workbook:upload"))
    data = xlsx(full_file())
    for _ in range(2):
        response = officer_client.post(reverse("workbook:upload"),
                                       {"file": SimpleUploadedFile("clb.xlsx", data), FIELD: token})
    record = Upload.objects.get()
    preview = reverse("workbook:preview", args=[record.pk])
    assert response["Location"] == preview

    confirm = reverse("workbook:confirm", args=[record.pk])
    first, second = post_twice(officer_client, confirm, {}, token_from(officer_client.get(preview), form_action=confirm))
    assert first["Location"] == preview and second.redirect_chain == [(preview, 302)]
    assert str(ALREADY_SENT) in second.content.decode()
    assert Club.objects.count() == 1 and Member.objects.count() == 1
    assert Member.objects.get().history.count() == 1
