"""The entry page's form speaks in the app's words (as clubs/tests/test_app_voice.py for the other apps)."""
import pytest
from django.utils import translation

from care.forms import HealthSessionForm
from clubs.fields import AppVoice, stock_messages
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_no_stock_message_and_messages_name_the_member(club_a):
    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    with translation.override("vi"):
        form = HealthSessionForm(members=[mai])
        assert isinstance(form, AppVoice)
        for name, field in form.fields.items():
            for code in set(field.error_messages) | {getattr(v, "code", None) for v in field.validators} - {None}:
                assert id(field.error_messages[code]) not in stock_messages(field), (name, code)
        form = HealthSessionForm({"on": "", "kind": "x", f"bp{mai.pk}": "1" * 21}, members=[mai])
        assert not form.is_valid()
        assert form.errors["on"] == ["Chưa nhập Ngày khám/đo."]
        assert "Lò Thị Mai" in " ".join(form.errors[f"bp{mai.pk}"])
        assert "Trường này là bắt buộc" not in str(form.errors)
