"""The home-care pages' forms: a care period, a visit, and the month sheet (volunteers × recipients, each
cell the days visited, "3, 17"). They parse what is typed; what is allowed is care.home_services'."""
from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.collation import vi_order
from clubs.fields import AppVoice, ModelChoiceField, ModelMultipleChoiceField, date_field
from clubs.forms import ServiceErrors

from . import home_services as home
from .models import Care, Help


class CareForm(ServiceErrors, AppVoice, forms.Form):
    member = ModelChoiceField(label=_("Người được chăm sóc"), queryset=None)
    started_on = date_field(_("Chăm sóc từ ngày"))
    ended_on = date_field(_("Thôi chăm sóc từ ngày"), required=False,
                          help_text=_("Ngày đầu tiên không còn chăm sóc; để trống khi vẫn đang chăm sóc."))
    reason = forms.ChoiceField(label=_("Lý do"), choices=Care.Reason.choices)
    volunteers = ModelMultipleChoiceField(label=_("Tình nguyện viên phụ trách"), queryset=None, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, club, on, care=None, **kwargs):
        super().__init__(*args, **kwargs)
        active = club.members.active(on=on)
        if care is None:
            self.fields["member"].queryset = active.order_by(vi_order("full_name"), "pk")
        else:
            # The recipient of a period is fixed; a period of someone else is a new period.
            del self.fields["member"]
        volunteers = club.members.filter(pk__in=active.filter(is_homecare_volunteer=True).values("pk"))
        if care is not None:
            volunteers = volunteers | club.members.filter(pk__in=care.volunteers.values("pk"))
            volunteers = volunteers.exclude(pk=care.member_id)
        self.fields["volunteers"].queryset = volunteers.order_by(vi_order("full_name"), "pk")


class VisitForm(ServiceErrors, AppVoice, forms.Form):
    volunteer = ModelChoiceField(label=_("Tình nguyện viên"), queryset=None)
    date = date_field(_("Ngày thăm"))
    kinds = forms.MultipleChoiceField(label=_("Việc đã giúp"), choices=Help.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    minutes = forms.IntegerField(label=_("Số phút"), required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, care, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        club = care.member.club
        # Flagged members still in the club when the period began; the service checks the visit's day.
        people = club.members.filter(is_homecare_volunteer=True).exclude(left_on__lte=care.started_on)
        if visit is not None:
            people = people | club.members.filter(pk=visit.volunteer_id)
        self.fields["volunteer"].queryset = people.exclude(pk=care.member_id).order_by(vi_order("full_name"), "pk")

    def check_values(self):
        data = self.cleaned_data
        return {"volunteer": data.get("volunteer"), "on": data.get("date"), "kinds": data.get("kinds") or [],
                "minutes": data.get("minutes")}


class MonthSheetForm(ServiceErrors, AppVoice, forms.Form):
    """One text cell per (volunteer, recipient's care period) of the month; a volunteer never has a cell
    of their own care."""
    kinds = forms.MultipleChoiceField(label=_("Việc đã giúp (ghi cho các lần thăm mới)"), choices=Help.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, year, month, volunteers, cares, **kwargs):
        super().__init__(*args, **kwargs)
        self.year, self.month = year, month
        self.volunteers, self.cares = list(volunteers), list(cares)
        self.pairs = {}
        for volunteer in self.volunteers:
            for care in self.cares:
                if volunteer.pk == care.member_id:
                    continue
                name = self.cell_name(volunteer, care)
                label = _("Ngày %(volunteer)s thăm %(name)s") % {"volunteer": volunteer.full_name,
                                                                  "name": care.member.full_name}
                self.fields[name] = forms.CharField(label=label, required=False, max_length=100, widget=forms.TextInput(
                    # No placeholder: a grid of grey "3, 17" reads as days already entered.
                    attrs={"size": 6, "inputmode": "text", "autocomplete": "off", "aria-label": label,
                           "class": "form-control form-control-sm"}))
                self.pairs[name] = (volunteer, care)

    @staticmethod
    def cell_name(volunteer, care):
        return f"c{volunteer.pk}_{care.pk}"

    def rows(self):
        """(volunteer, [bound cell or None]) in the order of self.cares, for the template."""
        return [(v, [self[self.cell_name(v, c)] if self.cell_name(v, c) in self.fields else None for c in self.cares])
                for v in self.volunteers]

    def clean(self):
        data = super().clean()
        cells = {}
        for name, (volunteer, care) in self.pairs.items():
            if name in self.errors:
                continue
            try:
                cells[(volunteer, care)] = home.parse_days(data.get(name, ""), year=self.year, month=self.month)
            except ValueError as exc:
                self.add_error(name, forms.ValidationError(home.MONTH_DAY_UNKNOWN, code="unknown_day", params={
                    "value": exc.args[0], "month": f"{self.month:02d}", "year": self.year}))
        data["cells"] = cells
        return data

    def add_service_errors(self, exc, *, skip_filled=False):
        """The service keys a cell's errors "<volunteer pk>.<care pk>"."""
        for key, errors in exc.error_dict.items():
            volunteer_pk, _dot, care_pk = key.partition(".")
            field = f"c{volunteer_pk}_{care_pk}" if care_pk else key
            field = field if field in self.fields else None
            if skip_filled and field is not None and field in self.errors:
                continue
            self.add_error(field, errors)
