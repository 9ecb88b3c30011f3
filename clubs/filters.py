"""The club list's filters: former district, commune, track, status, failing check and search."""
import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import checks
from .checks import Composition
from .collation import vi_order
from .fields import AppVoice, ModelChoiceField
from .models import Area, Track
from .search import matching

CHECKS = [
    ("size", _("Chưa đủ 40 thành viên")),
    ("women", _("Tỷ lệ nữ ngoài 60–70%")),
    ("older", _("Tỷ lệ người cao tuổi ngoài 60–70%")),
    ("composition", _("Chưa đạt cơ cấu thành viên")),
    ("areas", _("Chưa đủ 8 mảng hoạt động trong năm")),
]
COMMUNE_NOT_IN_DISTRICT = _("Xã/phường đã chọn không thuộc huyện cũ đã chọn: chọn lại xã/phường.")
STATUSES = [("active", _("Đang hoạt động")), ("dissolved", _("Đã giải thể"))]

# Judged by clubs.checks on counts the database annotated, so the list agrees with the club page.
FAILING = {
    "size": lambda comp, areas: not comp.size_ok,
    "women": lambda comp, areas: not comp.women_ok,
    "older": lambda comp, areas: not comp.older_ok,
    "composition": lambda comp, areas: not comp.composition_ok,
    "areas": lambda comp, areas: not checks.areas_ok(areas, comp.n),
}


class ClubFilterForm(AppVoice, forms.Form):
    q = forms.CharField(label=_("Tìm (mã, tên, thôn/bản)"), required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    district = ModelChoiceField(label=_("Huyện cũ"), queryset=Area.objects.none(), required=False,
                                      empty_label=_("Tất cả"))
    commune = ModelChoiceField(label=_("Xã/phường"), queryset=Area.objects.none(), required=False,
                                     empty_label=_("Tất cả"))
    track = forms.ChoiceField(label=_("Nguồn thành lập"), choices=[("", _("Tất cả")), *Track.choices], required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=[("", _("Tất cả")), *STATUSES], required=False)
    failing = forms.ChoiceField(label=_("Chưa đạt"), choices=[("", _("—")), *CHECKS], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Area.objects.visible_to(user)
        self.fields["district"].queryset = visible.districts().order_by(vi_order("name"))
        communes = visible.communes()
        # The commune list follows the chosen district (also refreshed by htmx when the district
        # changes); a commune of another district is refused next to its field, not silently ignored.
        district = self._chosen_district()
        if district is not None:
            communes = communes.filter(parent_id=district)
            self.fields["commune"].error_messages["invalid_choice"] = COMMUNE_NOT_IN_DISTRICT
        self.fields["commune"].queryset = communes.order_by(vi_order("name"))
        self.fields["district"].widget.attrs.update({
            "hx-get": reverse_lazy("clubs:list"), "hx-trigger": "change", "hx-include": "this",
            "hx-select": "#id_commune", "hx-target": "#id_commune", "hx-swap": "outerHTML",
        })
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def _chosen_district(self):
        """The id typed for the district if it is one of the district choices, else None."""
        value = self.data.get(self.add_prefix("district")) if self.is_bound else None
        if not value or not str(value).isdigit() or len(str(value)) > 18:
            return None
        return self.fields["district"].queryset.filter(pk=int(value)).values_list("pk", flat=True).first()

    @classmethod
    def asked(cls, data):
        """Whether `data` (the query string) asks for any filter: a list without one needs no form to find
        its clubs, only (when its kept rendering is missing) to show the filters."""
        return any(data.get(name) for name in cls.base_fields)

    def filter(self, clubs, *, on: datetime.date):
        """Apply the valid filters (a refused one shows its message and is left out)."""
        if not self.is_bound:
            return clubs
        self.is_valid()
        data = {name: "" for name in self.fields} | self.cleaned_data
        if data["q"]:
            clubs = clubs.filter(matching(data["q"]))
        if data["district"]:
            clubs = clubs.filter(commune__parent=data["district"])
        if data["commune"]:
            clubs = clubs.filter(commune=data["commune"])
        if data["track"]:
            clubs = clubs.filter(track=data["track"])
        if data["status"] == "active":
            clubs = clubs.active(on=on)
        elif data["status"] == "dissolved":
            clubs = clubs.filter(dissolved_on__lte=on)
        if data["failing"]:
            fails = FAILING[data["failing"]]
            rows = clubs.with_composition(on=on).with_areas_done(on=on).values_list("pk", "n", "women", "older", "areas_done")
            clubs = clubs.filter(pk__in=[pk for pk, n, w, e, areas in rows if fails(Composition(n, w, e), areas)])
        return clubs
