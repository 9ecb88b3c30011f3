"""Forms for plans and their targets: officers enter a new phase or another province's plan as data."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clubs.fields import AppVoice, DateInput
from clubs.models import Area, Track

from .models import Plan, Target
# The rules of a target row live in plan_rules, shared with the plan workbook; their messages are also
# importable from here, where the tests first found them.
from .plan_rules import (  # noqa: F401
    AREA_OUTSIDE, CUMULATIVE_COUNT_ONLY, CUMULATIVE_NOT_ALLOWED, MAX_TARGET, PER_TRACK, PERCENT_TOO_HIGH,
    PLAN_YEARS_ORDER, TARGET_YEAR_OUTSIDE, TRACK_NOT_ALLOWED, TRACK_OPTIONAL, TRACK_REQUIRED, target_errors,
)
from .plans import INDICATOR_CHOICES

NOT_YET_SET = _("chưa giao")


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


class BaseTargetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        plan = self.instance
        start = getattr(plan, "start_year", None)
        end = getattr(plan, "end_year", None)
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            area = data.get("area")
            if area is None and getattr(plan, "area_id", None):
                form.instance.area = area = plan.area
            problems = target_errors(
                indicator=data.get("indicator"), kind=data.get("kind"), year=data.get("year"), track=data.get("track"),
                unit=data.get("unit"), value=data.get("value"), area=area,
                plan_area=plan.area if getattr(plan, "area_id", None) else None, start=start, end=end,
            )
            for field, errors in problems.items():
                for error in errors:
                    form.add_error(field, error)


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
                    label=f"{d.name} – {c.label}", required=False, min_value=0, max_value=MAX_TARGET,
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
