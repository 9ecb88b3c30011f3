"""The dashboard's reference date, and the annual report's draft: header settings of the issuing
body and the narrative parts."""
import datetime

from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.collation import vi_order
from clubs.fields import AppVoice, DateInput, date_field
from clubs.models import Club

from . import annual
from .models import AnnualReport, Plan


AS_OF_INVALID = _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy. Đang hiển thị số liệu hôm nay.")
AS_OF_OUT_OF_RANGE = _("Ngày chốt số liệu phải từ %(min)s đến hôm nay (%(max)s). Đang hiển thị số liệu hôm nay.")


def as_of_range():
    """(earliest, latest) reference date the dashboard shows: from 1 January of the first report year
    (or of an earlier plan, or an earlier club's founding) to today. Before that there is no data;
    after today the figures would be today's, labelled with a date that has not come."""
    earliest = datetime.date(annual.FIRST_YEAR, 1, 1)
    first_plan = Plan.objects.aggregate(y=Min("start_year"))["y"]
    if first_plan:
        earliest = min(earliest, datetime.date(first_plan, 1, 1))
    first_club = Club.objects.aggregate(d=Min("founded_on"))["d"]
    if first_club:
        earliest = min(earliest, first_club)
    return earliest, timezone.localdate()


class AsOfForm(AppVoice, forms.Form):
    on = date_field(_("Ngày chốt số liệu"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["invalid"] = AS_OF_INVALID

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day is not None:
            earliest, latest = as_of_range()
            if not earliest <= day <= latest:
                raise forms.ValidationError(AS_OF_OUT_OF_RANGE % {
                    "min": earliest.strftime("%d/%m/%Y"), "max": latest.strftime("%d/%m/%Y")}, code="as_of_range")
        return day

    def day(self):
        """The chosen day, or today when none or a refused one was typed (its error then shows)."""
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return timezone.localdate()


class AnnualReportForm(AppVoice, forms.ModelForm):
    year = forms.TypedChoiceField(label=_("Năm báo cáo"), coerce=int)

    class Meta:
        model = AnnualReport
        fields = [
            "year", "period", "area", "plan", "number_symbol", "parent_body", "issuing_body", "place", "issued_on",
            "addressee", "signer_authority", "signer_title", "signer_name", "recipients",
            "assessment", "shortcomings", "directions", "proposals",
        ]
        labels = {"plan": _("Kế hoạch")}
        widgets = {
            "parent_body": forms.Textarea(attrs={"rows": 2}),
            "issuing_body": forms.Textarea(attrs={"rows": 2}),
            "issued_on": DateInput(),
            "recipients": forms.Textarea(attrs={"rows": 6}),
            "assessment": forms.Textarea(attrs={"rows": 6}),
            "shortcomings": forms.Textarea(attrs={"rows": 6}),
            "directions": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "number_symbol": _("Ví dụ: 15/BC-HNCT (số đánh lại từ 01 mỗi năm)."),
            "parent_body": _("Không bắt buộc; có thể viết trên 2 dòng."),
            "issuing_body": _("In chữ hoa, đậm; có thể viết trên 2 dòng, ví dụ HỘI NGƯỜI CAO TUỔI / TỈNH LAI CHÂU."),
            "issued_on": _("dd/mm/yyyy; để trống nếu chưa ký."),
            "recipients": _("Mỗi dòng một nơi nhận; dòng \"Lưu: VT.\" được thêm vào cuối nếu chưa có."),
            "assessment": _("Mỗi dòng là một đoạn văn."),
            "plan": _("Để trống: tự chọn kế hoạch có hiệu lực trong năm báo cáo."),
        }

    def clean_period(self):
        return self.cleaned_data.get("period") or AnnualReport.Period.YEAR

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        lo, hi = annual.year_range()
        self.fields["year"].choices = [(y, str(y)) for y in range(hi, lo - 1, -1)]
        # The choices are the whole rule: say it in those words rather than Django's "not a valid choice".
        self.fields["year"].error_messages["invalid_choice"] = annual.YEAR_OUT_OF_RANGE % {"min": lo, "max": hi}
        self.fields["area"].queryset = annual.report_areas_for(user)
        self.fields["area"].empty_label = None
        # A draft posted without a period (an older page, a script) is the yearly report, as before.
        self.fields["period"].required = False
        self.fields["plan"].queryset = Plan.objects.visible_to(user).order_by("-start_year", vi_order("name"))
        self.fields["plan"].empty_label = _("(Tự chọn theo năm)")

    def clean_number_symbol(self):
        return self.cleaned_data["number_symbol"].strip()
