"""Forms parse what staff type from the club's paper books; the rules live in funds/services.py."""
import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.codes import CodeField
from clubs.collation import vi_order
from clubs.fields import AppVoice, ModelChoiceField, MoneyField
from clubs.formatting import format_vnd
from clubs.fields import date_field as _date_field
from clubs.models import Area, Club, Track
from clubs.rules import Errors

from .models import EntryKind, Fund, Source
from .rules import limits, loan_terms

ERR_PERIOD = _("Ngày đầu kỳ phải trước hoặc bằng ngày cuối kỳ.")
ERR_ROTATION_CHOOSE_ONE = _("Chọn một CLB có sẵn hoặc nhập CLB mới, không cả hai.")
ERR_NEW_CLUB_FIELDS = _("Nhập mã, tên và xã/phường của CLB mới.")


class FundEntryForm(AppVoice, forms.Form):
    fund = forms.ChoiceField(label=_("Quỹ"), choices=Fund.choices)
    kind = forms.ChoiceField(label=_("Loại"), choices=EntryKind.choices)
    date = _date_field(_("Ngày"))
    amount = MoneyField(label=_("Số tiền (đồng)"), min_value=1)
    source = forms.ChoiceField(
        label=_("Nguồn (khoản thu)"), required=False,
        choices=[("", _("— chọn nguồn —"))] + [c for c in Source.choices if c[0] != Source.ROTATION],
    )
    voucher_no = CodeField(label=_("Số phiếu"), required=False,
                                 help_text=_("Để trống để tự đánh số (PT-năm-số / PC-năm-số)."))
    description = forms.CharField(label=_("Diễn giải"), required=False, max_length=300)


class ReverseForm(AppVoice, forms.Form):
    on = _date_field(_("Ngày điều chỉnh"))
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=200)


class LoanForm(AppVoice, forms.Form):
    member = ModelChoiceField(label=_("Thành viên vay"), queryset=None, empty_label=_("— chọn thành viên —"))
    principal = MoneyField(label=_("Số tiền vay (đồng)"), min_value=1)
    disbursed_on = _date_field(_("Ngày giải ngân"))
    due_on = _date_field(_("Ngày đến hạn"))
    purpose = forms.CharField(label=_("Mục đích"), required=False, max_length=200,
                              help_text=_("Ví dụ: chăn nuôi, trồng trọt, buôn bán nhỏ"))
    rate_percent_month = forms.DecimalField(label=_("Lãi/phí (%/tháng)"), required=False, max_digits=5,
                                            decimal_places=2, min_value=0, localize=True)
    code = CodeField(label=_("Mã khoản vay"), required=False,
                           help_text=_("Để trống để tự đánh số."))
    confirm_same_day = forms.BooleanField(
        label=_("Đúng là thêm một khoản vay cho người này trong ngày, vẫn giải ngân"), required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.club = club
        max_loan, max_rate = limits(club)
        self.fields["principal"].help_text = _("Tối đa %(max)s mỗi khoản (quy chế CLB).") % {"max": format_vnd(max_loan)}
        self.fields["rate_percent_month"].help_text = _("Tối đa %(max)s %%/tháng (quy chế CLB).") % {
            "max": f"{max_rate.normalize():f}".replace(".", ",")}
        # Everyone who ever belonged: a back-dated loan may go to someone who has left since;
        # the service checks membership on the disbursement date.
        self.fields["member"].queryset = club.members.order_by(vi_order("full_name"), "code")
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.code}, {m.birth_year})"

    def clean(self):
        # The club's limits (the service's rule, funds.rules.loan_terms) checked here too, so a rate of
        # 500 %/tháng is said together with the form's own errors, on the first submit. A principal
        # over the limit alone is left to the service, which says the fund's balance with it.
        data = super().clean()
        errors = Errors()
        max_loan, max_rate = limits(self.club)
        loan_terms(errors, principal=data.get("principal"), rate=data.get("rate_percent_month"), max_loan=max_loan,
                   max_rate=max_rate)
        if set(errors) == {"principal"} and not self.errors:
            return data
        for field, found in errors.items():
            if field not in self.errors:
                self.add_error(field, found)
        return data

    def show_same_day_confirmation(self):
        self.fields["confirm_same_day"].widget = forms.CheckboxInput()


class RepaymentForm(AppVoice, forms.Form):
    paid_on = _date_field(_("Ngày trả"))
    principal = MoneyField(label=_("Tiền gốc"), required=False, min_value=0)
    interest = MoneyField(label=_("Tiền lãi/phí"), required=False, min_value=0)


class CollectionSheetForm(AppVoice, forms.Form):
    """One row per outstanding loan: principal_<id> and interest_<id>."""

    on = _date_field(_("Ngày sinh hoạt (ngày thu)"))

    def __init__(self, *args, loans, **kwargs):
        super().__init__(*args, **kwargs)
        self.loans = loans
        for loan in loans:
            self.fields[f"principal_{loan.pk}"] = MoneyField(label=_("Tiền gốc"), required=False, min_value=0)
            self.fields[f"interest_{loan.pk}"] = MoneyField(label=_("Tiền lãi/phí"), required=False, min_value=0)
        self.row_errors = {}

    def rows(self):
        """(loan, principal bound field, interest bound field, principal errors, interest errors) for the
        template: each message under the amount it is about."""
        for loan in self.loans:
            principal, interest = self[f"principal_{loan.pk}"], self[f"interest_{loan.pk}"]
            p_errors = list(self.row_errors.get(str(loan.pk), [])) + list(principal.errors if self.is_bound else [])
            i_errors = list(interest.errors) if self.is_bound else []
            yield loan, principal, interest, p_errors, i_errors

    def error_summary(self):
        """(borrower, message) for every wrong amount, for the list on top of the sheet."""
        if not self.is_bound:
            return []
        return [(loan.member.full_name, e) for loan, _p, _i, p_errors, i_errors in self.rows()
                for e in p_errors + i_errors]

    def service_rows(self):
        return [
            {"loan": loan, "principal": self.cleaned_data.get(f"principal_{loan.pk}"),
             "interest": self.cleaned_data.get(f"interest_{loan.pk}")}
            for loan in self.loans
        ]

    def apply_errors(self, exc):
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                if key in self.fields:
                    self.add_error(key, errors)
                elif key == NON_FIELD_ERRORS:
                    self.add_error(None, errors)
                else:
                    self.row_errors[key] = [m for e in errors for m in e.messages]
        else:
            self.add_error(None, exc)


def with_suggestions(data, loans):
    """The sheet's POST data with each empty principal set to the loan's suggested instalment (the grey
    hint): "Điền theo số đề xuất" works without JavaScript, and the user still reviews before saving."""
    data = data.copy()
    for loan in loans:
        name = f"principal_{loan.pk}"
        if not (data.get(name) or "").strip() and getattr(loan, "instalment", 0):
            data[name] = format_vnd(loan.instalment, unit=False)
    return data


class RotationForm(AppVoice, forms.Form):
    amount = MoneyField(label=_("Số vốn luân chuyển (đồng)"), min_value=1)
    on = _date_field(_("Ngày luân chuyển"))
    new_club = ModelChoiceField(
        label=_("CLB nhận vốn có sẵn (nguồn “Mới - luân chuyển vốn”)"), queryset=None, required=False,
        empty_label=_("— không chọn —"),
    )
    code = CodeField(label=_("Mã CLB mới"), required=False)
    name = forms.CharField(label=_("Tên CLB mới"), required=False, max_length=200)
    commune = ModelChoiceField(label=_("Xã/phường"), queryset=None, required=False,
                                     empty_label=_("— chọn xã/phường —"))
    village = forms.CharField(label=_("Thôn/bản"), required=False, max_length=100)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), required=False, max_length=50)
    description = forms.CharField(label=_("Diễn giải"), required=False, max_length=300)

    def __init__(self, *args, source_club, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_club"].queryset = (
            Club.objects.visible_to(user).filter(track=Track.NEW_ROTATION)
            .exclude(pk=source_club.pk).order_by("code")
        )
        self.fields["commune"].queryset = Area.objects.visible_to(user).communes().order_by(vi_order("name"))

    def clean(self):
        data = super().clean()
        has_new = any(data.get(k) for k in ("code", "name", "commune"))
        if data.get("new_club") and has_new:
            raise forms.ValidationError(ERR_ROTATION_CHOOSE_ONE, code="choose_one")
        if not data.get("new_club"):
            if not all(data.get(k) for k in ("code", "name", "commune")):
                raise forms.ValidationError(ERR_NEW_CLUB_FIELDS, code="new_club_fields")
        return data

    def club_data(self):
        d = self.cleaned_data
        if d.get("new_club"):
            return None
        return {k: d.get(k) or "" for k in ("code", "name", "village", "decision_number")} | {"commune": d["commune"]}


class PeriodForm(AppVoice, forms.Form):
    start = _date_field(_("Từ ngày"), required=False)
    end = _date_field(_("Đến ngày"), required=False)

    def period(self):
        """The chosen period; default: 1 January of this year to today."""
        today = timezone.localdate()
        start, end = datetime.date(today.year, 1, 1), today
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
            if start > end:
                self.add_error("end", forms.ValidationError(ERR_PERIOD, code="period"))
                start, end = datetime.date(today.year, 1, 1), today
        return start, end
