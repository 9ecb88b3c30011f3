"""Forms parse what staff type (dd/mm/yyyy dates, codes, names); clubs.services decides what is allowed."""
import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import MAX_ID, AppVoice, ModelChoiceField, ModelMultipleChoiceField, MoneyField, add_service_errors, date_field
from .codes import restrict
from .collation import vi_order
from .models import ActivityArea, Area, BoardMembership, Club, Member
from .activity_services import ACTIVITY_OUTSIDE_MONTH
from .services import CLUB_FIELDS, DISSOLUTION_REASON_REQUIRED, MEMBER_FIELDS

ETHNICITIES = ["Thái", "Mông", "Dao", "Hà Nhì", "Kinh", "Giáy", "Lự", "Khơ Mú", "Mảng", "La Hủ", "Cống", "Si La"]
BIRTH_YEAR_FORMAT = _("Năm sinh là 4 chữ số, ví dụ 1958.")


class ServiceErrors:
    """For forms whose data goes to a clubs.services function: its ValidationError lands next to the fields."""

    def add_service_errors(self, exc):
        add_service_errors(self, exc)


class ServiceForm(ServiceErrors, AppVoice, forms.ModelForm):
    """A model form whose model checks run in the service (with its own messages), not in _post_clean."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass


class ClubForm(ServiceForm):
    founded_on = date_field(_("Ngày thành lập"))
    regulation_on = date_field(_("Ngày ban hành quy chế"), required=False)
    max_loan = MoneyField(
        label=_("Mức vay tối đa mỗi khoản (đồng)"), required=False, min_value=1,
        help_text=_("Theo quy chế CLB; để trống để dùng mức chung của tỉnh."),
    )
    max_rate_percent_month = forms.DecimalField(
        label=_("Lãi/phí tối đa (%/tháng)"), required=False, max_digits=5, decimal_places=2, min_value=0,
        localize=True, help_text=_("Theo quy chế CLB; để trống để dùng mức chung của tỉnh."),
    )

    class Meta:
        model = Club
        fields = list(CLUB_FIELDS)
        field_classes = {"commune": ModelChoiceField, "source_club": ModelChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Area.objects.communes().visible_to(user).select_related("parent").order_by(vi_order("parent__name"), vi_order("name"))
        self.fields["commune"].queryset = communes
        self.fields["commune"].label_from_instance = lambda a: f"{a.name} ({a.parent.name})" if a.parent else a.name
        sources = Club.objects.visible_to(user)
        if self.instance.source_club_id:
            # An officer may have recorded a source in another district; district staff can still save the club.
            sources = sources | Club.objects.filter(pk=self.instance.source_club_id)
        if self.instance.pk:
            sources = sources.exclude(pk=self.instance.pk)
        sources = sources.order_by("code")
        self.fields["source_club"].queryset = sources
        self.fields["source_club"].help_text = _("Chỉ ghi với CLB thuộc nguồn “Mới - luân chuyển vốn”.")
        restrict(self.fields["code"])


class DissolveForm(ServiceErrors, AppVoice, forms.Form):
    dissolved_on = date_field(_("Ngày giải thể"))
    dissolution_reason = forms.CharField(
        label=_("Lý do giải thể"), max_length=300, error_messages={"required": DISSOLUTION_REASON_REQUIRED}
    )


class MemberForm(ServiceForm):
    birth_date = date_field(_("Ngày sinh (nếu biết)"), required=False)
    joined_on = date_field(_("Ngày tham gia"))
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là người khác, vẫn lưu"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Member
        fields = list(MEMBER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["code"])
        self.fields["birth_year"] = forms.IntegerField(
            label=_("Năm sinh"), widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
            error_messages={"invalid": BIRTH_YEAR_FORMAT},
        )
        self.fields["gender"].widget = forms.RadioSelect(choices=Member.Gender.choices)
        self.fields["household"].required = False
        self.fields["ethnicity"].widget.attrs["list"] = "ethnicities"
        # Laid out like a line of the paper register so staff can copy it left to right.
        self.helper.layout = Layout(
            Row(Column("code", css_class="col-md-2"), Column("full_name", css_class="col-md-5"),
                Column("gender", css_class="col-md-2"), Column("birth_year", css_class="col-md-1"),
                Column("birth_date", css_class="col-md-2")),
            Row(Column("ethnicity", css_class="col-md-2"), Column("household", css_class="col-md-2"),
                Column("village", css_class="col-md-3"), Column("phone", css_class="col-md-2"),
                Column("joined_on", css_class="col-md-3")),
            "is_homecare_volunteer",
            "confirm_duplicate",
        )

    def show_duplicate_confirmation(self):
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1000 <= year <= 9999:
            raise ValidationError(BIRTH_YEAR_FORMAT, code="birth_year_format")
        return year


class LeaveForm(ServiceErrors, AppVoice, forms.Form):
    left_on = date_field(_("Ngày rời CLB"))
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class Confirmations:
    """Hidden confirmation boxes shown as checkboxes once the service has warned about their matter:
    `confirmations` maps the field to the codes of the warnings it answers."""

    confirmations = {}

    def offer_confirmations(self):
        if not self.is_bound:
            return
        codes = {e.code for errors in self.errors.as_data().values() for e in errors}
        for field, answers in self.confirmations.items():
            if codes & answers:
                self.fields[field].widget = forms.CheckboxInput()


class BoardForm(Confirmations, ServiceErrors, AppVoice, forms.Form):
    member = ModelChoiceField(label=_("Thành viên"), queryset=Member.objects.none())
    role = forms.ChoiceField(label=_("Chức vụ"), choices=BoardMembership.Role.choices)
    started_on = date_field(_("Từ ngày"))
    end_current = forms.BooleanField(
        label=_("Kết thúc nhiệm vụ của người đang giữ chức vụ này từ ngày trên"), required=False,
        widget=forms.HiddenInput,
    )
    confirmations = {"end_current": {"role_held"}}

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = club.members.filter(left_on__isnull=True).order_by(vi_order("full_name"))
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.birth_year}) – {m.code}"


class BoardEndForm(ServiceErrors, AppVoice, forms.Form):
    ended_on = date_field(_("Thôi nhiệm vụ từ ngày"))


class ActivityRowForm(AppVoice, forms.Form):
    """One line of the monthly sheet; the area is fixed by the line."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    area = forms.TypedChoiceField(choices=ActivityArea.choices, coerce=int, widget=forms.HiddenInput)
    date = date_field(_("Ngày"), required=False)
    content = forms.CharField(label=_("Nội dung"), max_length=500, required=False)
    participants = forms.IntegerField(
        label=_("Số người"), required=False, min_value=0, max_value=2_147_483_647,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        error_messages={"invalid": _("Nhập số người, ví dụ 35."), "min_value": _("Số người không được âm.")},
    )

    def __init__(self, *args, year=None, month=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year, self.month = year, month
        for name in ("date", "content", "participants"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def clean_date(self):
        # Same rule as the service, checked here too so a sheet shows every wrong cell at once.
        date = self.cleaned_data["date"]
        if date and self.year and (date.year, date.month) != (self.year, self.month):
            raise ValidationError(ACTIVITY_OUTSIDE_MONTH, code="outside_month",
                                  params={"month": self.month, "year": self.year})
        return date

    def to_python_date(self, raw):
        # Paper books often give only the day of the month: "12" means 12/<month>/<year> of this sheet.
        raw = (raw or "").strip()
        if raw.isdigit() and self.year and 1 <= int(raw) <= 31:
            try:
                return datetime.date(self.year, self.month, int(raw))
            except ValueError:
                return None
        return None

    def full_clean(self):
        raw = self.data.get(self.add_prefix("date")) if self.is_bound else None
        day = self.to_python_date(raw)
        if day is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("date")] = day.strftime("%d/%m/%Y")
        super().full_clean()

    def area_label(self):
        try:
            return ActivityArea(int(self["area"].value())).label
        except (TypeError, ValueError):  # a tampered hidden field: the row shows its error, not a crash
            return ""


class BaseActivitySheet(forms.BaseFormSet):
    def __init__(self, *args, year, month, **kwargs):
        self.year, self.month = year, month
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"year": self.year, "month": self.month}


ActivitySheet = forms.formset_factory(ActivityRowForm, formset=BaseActivitySheet, extra=0, max_num=200)


class MembershipCheckboxes(forms.CheckboxSelectMultiple):
    """Each box says when its member joined and left (ISO dates), so "Chọn tất cả" ticks only the
    members of the club on the meeting's date (clubs.rules.member_on, mirrored in behaviours.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        member = getattr(value, "instance", None)
        if member is not None:
            option["attrs"]["data-joined"] = member.joined_on.isoformat()
            option["attrs"]["data-left"] = member.left_on.isoformat() if member.left_on else ""
        return option


class MeetingForm(Confirmations, ServiceErrors, AppVoice, forms.Form):
    held_on = date_field(_("Ngày sinh hoạt"))
    notes = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attendees = ModelMultipleChoiceField(
        label=_("Có mặt"), queryset=Member.objects.none(), required=False, widget=MembershipCheckboxes
    )
    confirm_no_attendees = forms.BooleanField(
        label=_("Đúng là buổi sinh hoạt không có ai dự, vẫn lưu"), required=False, widget=forms.HiddenInput,
    )
    confirmations = {"confirm_no_attendees": {"no_attendees"}}

    def __init__(self, *args, club, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = club.members.filter(left_on__isnull=True)
        if meeting is not None:
            members = club.members.filter(pk__in=members.values("pk")) | club.members.filter(
                pk__in=meeting.attendees.values("pk")
            )
        self.fields["attendees"].queryset = members.order_by(vi_order("full_name"))
        self.fields["attendees"].label_from_instance = lambda m: f"{m.full_name} ({m.birth_year})"


class OnDateForm(AppVoice, forms.Form):
    on = date_field(_("Tính đến ngày"), required=False)

    @classmethod
    def from_request(cls, request):
        """(the form, the date it asks for): ?on= when given and valid, else today."""
        form = cls(request.GET or None)
        on = form.cleaned_data.get("on") if form.is_valid() else None
        return form, on or timezone.localdate()
