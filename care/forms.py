"""The fast entry page of a health session: the session's date, kind and organiser, then one row per
member (ticked, blood pressure typed "120/80", weight "52,5"). Parsing is care.rules'; what is allowed
is care.services'."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clubs.fields import AppVoice, date_field
from clubs.forms import ServiceErrors

from . import rules
from .models import HealthSession


class HealthSessionForm(ServiceErrors, AppVoice, forms.Form):
    on = date_field(_("Ngày khám/đo"))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=HealthSession.Kind.choices)
    organiser = forms.CharField(label=_("Người/đơn vị thực hiện"), max_length=150, required=False,
                                help_text=_("Ví dụ: Trạm y tế xã, y tá thôn bản."))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for m in self.members:
            self.fields[f"m{m.pk}"] = forms.BooleanField(label=f"{m.full_name} ({m.birth_year})", required=False)
            # Labels name the person: the page shows them only to screen readers, and a message built
            # from one (a value too long) still says whose cell it is in the summary at the top.
            bp_label = _("Huyết áp của %(name)s") % {"name": m.full_name}
            w_label = _("Cân nặng của %(name)s") % {"name": m.full_name}
            self.fields[f"bp{m.pk}"] = forms.CharField(
                label=bp_label, required=False, max_length=20,
                widget=forms.TextInput(attrs={"placeholder": "120/80", "inputmode": "text", "size": 7, "aria-label": bp_label,
                                              "autocomplete": "off", "class": "form-control form-control-sm"}))
            self.fields[f"w{m.pk}"] = forms.CharField(
                label=w_label, required=False, max_length=10,
                widget=forms.TextInput(attrs={"placeholder": "52,5", "inputmode": "decimal", "size": 5, "aria-label": w_label,
                                              "autocomplete": "off", "class": "form-control form-control-sm"}))

    def rows(self):
        """(member, tick, blood pressure, weight) bound fields, for the template."""
        return [(m, self[f"m{m.pk}"], self[f"bp{m.pk}"], self[f"w{m.pk}"]) for m in self.members]

    def clean(self):
        data = super().clean()
        checks = []
        for m in self.members:
            bp_text, w_text = self.data.get(self.add_prefix(f"bp{m.pk}"), ""), self.data.get(self.add_prefix(f"w{m.pk}"), "")
            # A reading typed for someone counts as ticking them: one less click per person.
            if not (data.get(f"m{m.pk}") or bp_text.strip() or w_text.strip()):
                continue
            check = {"member": m, "systolic": None, "diastolic": None, "weight": None}
            try:
                check["systolic"], check["diastolic"] = rules.parse_blood_pressure(bp_text, name=m.full_name)
            except ValidationError as exc:
                self.add_error(f"bp{m.pk}", exc)
            try:
                check["weight"] = rules.parse_weight(w_text, name=m.full_name)
            except ValidationError as exc:
                self.add_error(f"w{m.pk}", exc)
            checks.append(check)
        data["checks"] = checks
        return data

    def session_values(self):
        """What the service takes, from whatever the form could read (also after errors)."""
        data = self.cleaned_data
        return {"on": data.get("on"), "kind": data.get("kind"), "organiser": data.get("organiser", ""),
                "note": data.get("note", ""), "checks": data.get("checks", [])}

    def add_service_errors(self, exc, *, skip_filled=False):
        """The service keys a member's errors "<pk>.blood_pressure" etc.: each lands in that row's cell."""
        where = {"blood_pressure": "bp", "weight": "w", "member": "m"}
        for key, errors in exc.error_dict.items():
            pk, _dot, part = key.partition(".")
            field = f"{where[part]}{pk}" if part in where else key
            field = field if field in self.fields else None
            if skip_filled and field is not None and field in self.errors:
                continue
            self.add_error(field, errors)
