"""The scorecard's forms (officers): its name, source, grade thresholds and commendation setting, and its
criteria. The rules are the models' clean (reporting.criteria.criterion_errors), run by the forms."""
from django import forms

from clubs.fields import AppVoice

from .criteria import FIGURE_CHOICES
from .models import Criterion, Scorecard


class ScorecardForm(AppVoice, forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = ["name", "source", "year_from", "active", "min_good", "min_fair", "min_average", "commend_by",
                  "commend_value"]


class CriterionForm(AppVoice, forms.ModelForm):
    figure = forms.ChoiceField(label=Criterion._meta.get_field("figure").verbose_name,
                               choices=[("", "—"), *FIGURE_CHOICES])

    class Meta:
        model = Criterion
        fields = ["order", "label", "figure", "threshold", "points", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    def has_changed(self):
        """The blank line for a new criterion is left alone unless something is typed in it (its "áp dụng"
        box, ticked by default, is not something typed)."""
        if self.instance.pk is None:
            return any(self.data.get(self.add_prefix(name)) for name in ("order", "label", "figure", "threshold",
                                                                         "points"))
        return super().has_changed()


# Criteria are never deleted: an officer unticks "áp dụng" and the row stays in the history.
CriterionFormSet = forms.inlineformset_factory(
    Scorecard, Criterion, form=CriterionForm, extra=1, can_delete=False
)
