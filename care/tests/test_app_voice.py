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


def test_home_care_forms_speak_the_app_voice(club_a):
    import datetime

    from care.home_forms import CareForm, MonthSheetForm, VisitForm
    from care.tests.factories import care_for

    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    pom = MemberFactory(club=club_a, full_name="Lò Văn Pọm", is_homecare_volunteer=True)
    care = care_for(mai, datetime.date(2025, 3, 1), volunteers=[pom])
    with translation.override("vi"):
        forms = [CareForm(club=club_a, on=datetime.date(2025, 3, 5)), VisitForm(care=care),
                 MonthSheetForm(year=2025, month=3, volunteers=[pom], cares=[care])]
        for form in forms:
            assert isinstance(form, AppVoice)
            for name, field in form.fields.items():
                for code in set(field.error_messages) | {getattr(v, "code", None) for v in field.validators} - {None}:
                    assert id(field.error_messages[code]) not in stock_messages(field), (type(form), name, code)
        form = CareForm({"started_on": "", "reason": ""}, club=club_a, on=datetime.date(2025, 3, 5))
        assert not form.is_valid()
        assert form.errors["member"] == ["Chưa chọn Người được chăm sóc."]
        assert form.errors["started_on"] == ["Chưa nhập Chăm sóc từ ngày."]
        sheet = MonthSheetForm({f"c{pom.pk}_{care.pk}": "3, x" + "1" * 100}, year=2025, month=3, volunteers=[pom],
                               cares=[care])
        assert not sheet.is_valid()
        assert "Ngày Lò Văn Pọm thăm Lò Thị Mai dài tối đa 100 ký tự" in " ".join(sheet.errors[f"c{pom.pk}_{care.pk}"])
        assert "Trường này là bắt buộc" not in str(form.errors)
