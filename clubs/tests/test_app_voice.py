"""Issue 12, "Vietnamese everywhere": every form speaks in the app's words. Django's stock messages
("Trường này là bắt buộc.", "Nhập một ngày hợp lệ.", "Đảm bảo giá trị này...") never reach a person;
each message names the field it is about."""
import inspect

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

import clubs.filters
import clubs.forms
import funds.filters
import funds.forms
import reporting.forms
import reporting.plan_forms
import workbook.forms
from reporting import allocation
from reporting.demo import seed_plan
from clubs.fields import AppVoice, HIDDEN_INVALID, stock_messages
from clubs.tests.factories import MemberFactory
from funds.tests.factories import LoanFactory

pytestmark = pytest.mark.django_db
MODULES = [clubs.forms, clubs.filters, funds.forms, funds.filters, reporting.forms, reporting.plan_forms,
           workbook.forms]


def _form_classes():
    return sorted({cls for module in MODULES for _, cls in inspect.getmembers(module, inspect.isclass)
                   if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
                   and cls.__name__ not in {"ServiceForm"}}, key=lambda c: c.__qualname__)


def _kwargs(cls, officer, club, loans, grid=((), ())):
    districts, columns = grid
    return {
        "ClubForm": {"user": officer}, "ClubFilterForm": {"user": officer}, "BoardForm": {"club": club},
        "MeetingForm": {"club": club}, "ActivityRowForm": {"year": 2025, "month": 3},
        "LoanForm": {"club": club}, "CollectionSheetForm": {"loans": loans},
        "RotationForm": {"source_club": club, "user": officer}, "LoanFilterForm": {"club": club},
        "AnnualReportForm": {"user": officer}, "AllocationForm": {"districts": districts, "columns": columns},
    }.get(cls.__name__, {})


def _stock_texts():
    """Every default message of Django's form fields and validators, as a person would read it."""
    from django.core import validators

    classes = [c for c in vars(forms).values() if inspect.isclass(c) and issubclass(c, forms.Field)]
    classes += [forms.ModelChoiceField, forms.ModelMultipleChoiceField]
    texts = {str(m) for c in classes for m in getattr(c, "default_error_messages", {}).values()}
    for v in (validators.MinValueValidator, validators.MaxValueValidator, validators.MinLengthValidator,
              validators.MaxLengthValidator, validators.StepValueValidator):
        texts.add(str(v.message))
    return texts


def test_every_form_of_the_app_uses_the_app_voice_and_no_stock_message_is_left(officer, club_a):
    MemberFactory(club=club_a)
    loans = [LoanFactory(club=club_a)]
    grid = allocation.grid(seed_plan())  # a real grid, so the walk checks its cells too
    classes = _form_classes()
    assert len(classes) >= 20
    with translation.override("vi"):
        stock = _stock_texts()
        assert "Trường này là bắt buộc." in stock
        for cls in classes:
            assert issubclass(cls, AppVoice), cls
            form = cls(**_kwargs(cls, officer, club_a, loans, grid))
            for name, field in form.fields.items():
                codes = set(field.error_messages) | {getattr(v, "code", None) for v in field.validators} - {None}
                for code in codes:
                    message = str(field.error_messages.get(code, ""))
                    where = f"{cls.__name__}.{name} [{code}]"
                    assert message, f"{where}: no message of the app for a check the field makes"
                    assert message not in stock, f"{where}: {message}"
                    assert id(field.error_messages[code]) not in stock_messages(field), where
                    if field.widget.is_hidden:
                        assert message == HIDDEN_INVALID or code not in {"required", "invalid"}, where


def test_messages_name_their_field():
    with translation.override("vi"):
        form = clubs.forms.LeaveForm(data={"left_on": "32/13/2025", "reason": "x" * 301})
        assert form.errors["left_on"] == ["Ngày rời CLB không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/03/2025."]
        assert form.errors["reason"] == ["Lý do dài tối đa 300 ký tự (đang có 301)."]
        assert clubs.forms.BoardEndForm(data={}).errors["ended_on"] == ["Chưa nhập Thôi nhiệm vụ từ ngày."]


def test_a_percent_in_a_label_does_not_break_its_message(club_a):
    MemberFactory(club=club_a)
    form = funds.forms.LoanForm(data={"rate_percent_month": "-1"}, club=club_a)
    with translation.override("vi"):
        assert form.errors["rate_percent_month"] == ["Lãi/phí (%/tháng) phải từ 0 trở lên."]
        form = funds.forms.LoanForm(data={"rate_percent_month": "abc"}, club=club_a)
        assert form.errors["rate_percent_month"] == ["Lãi/phí (%/tháng) không hợp lệ: nhập một số, ví dụ 1,5."]
        # Django raises "invalid" with params for a number that is not finite, and formats it then.
        form = funds.forms.LoanForm(data={"rate_percent_month": "NaN"}, club=club_a)
        assert form.errors["rate_percent_month"] == ["Lãi/phí (%/tháng) không hợp lệ: nhập một số, ví dụ 1,5."]


def test_an_empty_member_form_names_each_missing_field_on_the_page(staff_a_client, club_a):
    response = staff_a_client.post(reverse("clubs:member_add", args=[club_a.code]),
                                   {"code": "TV001", "full_name": "", "gender": "", "birth_year": "năm",
                                    "joined_on": "31/02/2025", "village": "Bản Hon"})
    html = response.content.decode()
    assert "Chưa nhập Họ và tên." in html or "Chưa nhập Họ tên." in html
    assert "Chưa chọn Giới tính." in html
    assert "Ngày tham gia không hợp lệ: nhập theo dạng dd/mm/yyyy" in html
    assert "Năm sinh là 4 chữ số, ví dụ 1958." in html  # the form's own, more specific message is kept
    assert "Trường này là bắt buộc" not in html and "Nhập một" not in html


def test_the_upload_page_asks_for_a_file_in_the_app_words(officer_client):
    response = officer_client.post(reverse("workbook:upload"), {})
    html = response.content.decode()
    assert "Chưa chọn Tệp Excel (.xlsx)." in html and "Trường này là bắt buộc" not in html
    empty = SimpleUploadedFile("trong.xlsx", b"")
    html = officer_client.post(reverse("workbook:upload"), {"file": empty}).content.decode()
    assert "tệp đã chọn rỗng" in html
