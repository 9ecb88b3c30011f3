"""Forms for plans and their targets: officers enter a new phase or another province's plan as data."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clubs.fields import AppVoice, DateInput
from clubs.models import Area, Track

from .models import Plan, Target
from .plans import CUMULATIVE, INDICATOR_CHOICES, PER_PERIOD

PLAN_YEARS_ORDER = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
TARGET_YEAR_OUTSIDE = _("Năm của chỉ tiêu phải nằm trong thời kỳ %(start)s–%(end)s của kế hoạch.")
PERCENT_TOO_HIGH = _("Chỉ tiêu phần trăm không được quá 100.")
TRACK_NOT_ALLOWED = _("Chỉ tiêu này không chia theo nguồn thành lập.")
TRACK_REQUIRED = _("Chọn nguồn thành lập cho chỉ tiêu này.")
AREA_OUTSIDE = _("Địa bàn của chỉ tiêu phải là địa bàn của kế hoạch hoặc một huyện, xã nằm trong đó.")
CUMULATIVE_NOT_ALLOWED = _("Chỉ tiêu cộng dồn chỉ dùng cho số CLB thành lập mới và số người tham gia mới.")
CUMULATIVE_COUNT_ONLY = _("Chỉ tiêu cộng dồn phải tính bằng số lượng.")
NOT_YET_SET = _("chưa giao")

PER_TRACK = {"clubs_active_by_track", "members_by_track"}
TRACK_OPTIONAL = PER_TRACK | PER_PERIOD | {"clubs_founded"}


class PlanForm(AppVoice, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["name", "legal_reference", "issued_by", "issued_on", "start_year", "end_year", "area"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.fields["area"].queryset = Area.objects.filter(
            level__in=[Area.Level.PROVINCE, Area.Level.DISTRICT]
        ).order_by("level", "code")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", ValidationError(PLAN_YEARS_ORDER, code="years_order"))
        return data


class TargetForm(AppVoice, forms.ModelForm):
    # A blank first choice so an untouched extra row is left out rather than refused.
    indicator = forms.ChoiceField(label=_("chỉ tiêu"), choices=[("", "---------"), *INDICATOR_CHOICES])

    class Meta:
        model = Target
        fields = ["indicator", "area", "kind", "year", "track", "value", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left blank: the plan's own area. Checked against the plan's area by the formset.
        self.fields["area"].required = False
        self.fields["area"].empty_label = _("— địa bàn của kế hoạch —")
        self.fields["area"].queryset = Area.objects.filter(
            level__in=[Area.Level.PROVINCE, Area.Level.DISTRICT, Area.Level.COMMUNE]
        ).order_by("level", "code")
        self.fields["year"].widget.attrs["placeholder"] = _("cả thời kỳ")
        self.fields["value"].widget.attrs["placeholder"] = NOT_YET_SET
        self.fields["track"].choices = [("", _("— mọi nguồn —")), *Track.choices]
        for name, field in self.fields.items():
            if name != "DELETE":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = f"{css} form-control-sm"

    def clean(self):
        data = super().clean()
        indicator, track, unit, value = data.get("indicator"), data.get("track"), data.get("unit"), data.get("value")
        if indicator in PER_TRACK and not track:
            self.add_error("track", ValidationError(TRACK_REQUIRED, code="track_required"))
        if indicator and indicator not in TRACK_OPTIONAL and track:
            self.add_error("track", ValidationError(TRACK_NOT_ALLOWED, code="track_not_allowed"))
        if data.get("kind") == Target.Kind.CUMULATIVE:
            if indicator and indicator not in CUMULATIVE:
                self.add_error("kind", ValidationError(CUMULATIVE_NOT_ALLOWED, code="cumulative_not_allowed"))
            elif unit == Target.Unit.PERCENT:
                self.add_error("unit", ValidationError(CUMULATIVE_COUNT_ONLY, code="cumulative_count"))
        if unit == Target.Unit.PERCENT and value is not None and value > 100:
            self.add_error("value", ValidationError(PERCENT_TOO_HIGH, code="percent_max"))
        return data


class BaseTargetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        plan = self.instance
        start = getattr(plan, "start_year", None)
        end = getattr(plan, "end_year", None)
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            area = form.cleaned_data.get("area")
            if area is None and getattr(plan, "area_id", None):
                form.instance.area = area = plan.area
            if area is not None and getattr(plan, "area_id", None) and not plan.area.contains(area):
                form.add_error("area", ValidationError(AREA_OUTSIDE, code="area_outside"))
            year = form.cleaned_data.get("year")
            if start and end and year and not start <= year <= end:
                form.add_error(
                    "year", ValidationError(TARGET_YEAR_OUTSIDE, code="year_outside", params={"start": start, "end": end})
                )


TargetFormSet = forms.inlineformset_factory(
    Plan, Target, form=TargetForm, formset=BaseTargetFormSet, extra=3, can_delete=True
)


class TargetCountField(forms.IntegerField):
    """A whole number of a target, typed as "1.200" or "1200"; blank is "chưa giao"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(" ", "")
        return super().to_python(value)


class AllocationForm(AppVoice, forms.Form):
    """The allocation grid: one cell per former district and province count target. A refused cell
    keeps what was typed, and its message names the district and the target."""

    def __init__(self, *args, districts, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = {}
        for d in districts:
            for c in columns:
                name = self.cell_name(d, c)
                self.cells[name] = (d.pk, c.target.pk)
                self.fields[name] = TargetCountField(
                    label=f"{d.name} – {c.label}", required=False, min_value=0, max_value=10**9,
                    initial=c.allocated[d.pk],
                    widget=forms.TextInput(attrs={
                        "class": "form-control form-control-sm text-end", "inputmode": "numeric",
                        "placeholder": NOT_YET_SET, "style": "min-width:5rem",
                    }),
                )

    @staticmethod
    def cell_name(district, column):
        return f"cell-{district.pk}-{column.target.pk}"

    def values(self):
        """{(district id, province target id): value or None}, for allocation.allocate."""
        return {key: self.cleaned_data.get(name) for name, key in self.cells.items()}
