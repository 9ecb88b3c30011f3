"""The selects written out in Python (laichau_clb/form_renderer.py) are Django's own HTML, byte for byte."""
import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.translation import gettext_lazy

from clubs.filters import ClubFilterForm
from clubs.models import Area
from laichau_clb.form_renderer import FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "— Chọn —"), ("a", "Bản Hon & <Nậm> \"Tăm\""), ("b", gettext_lazy("Tất cả"))])
    grouped = forms.ChoiceField(choices=[("Nhóm 'một'", [("1", "Một"), ("2", "Hai")]), ("3", "Ba")])
    years = forms.TypedChoiceField(choices=[(y, y) for y in (2024, 2025, 12345)], coerce=int)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    maybe = forms.NullBooleanField()
    flagged = forms.ChoiceField(choices=[("k", "K")], widget=forms.Select(attrs={
        "class": "form-select", "required": True, "disabled": False, "data-n": 3, "hx-get": "/a?b=1&c=2"}))


def _both(form):
    pairs = []
    for bound in form:
        widget = bound.field.widget
        pairs.append((bound.as_widget(widget=widget), widget.render(bound.html_name, bound.value(), renderer=DJANGO,
                                                                    attrs=bound.build_widget_attrs({}) | (
                                                                        {"id": bound.auto_id} if bound.auto_id else {}))))
    return pairs


@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "2", "years": "2025", "many": ["x", "z"], "maybe": "true"},
                                  {"plain": "<bad>", "years": "9"}])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_kind_of_select_renders_as_django_renders_it(data, language):
    with translation.override(language):
        form = Everything(data)
        for ours, django in _both(form):
            assert str(ours) == str(django)


def test_the_project_uses_it():
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.mark.django_db
def test_the_club_filter_renders_as_django_renders_it(officer):
    district = Area.objects.filter(level=Area.Level.DISTRICT).first()
    for data in (None, {"district": str(district.pk), "track": "x", "q": "Nà"}):
        form = ClubFilterForm(data, user=officer)
        for bound in form:
            assert str(bound.as_widget()) == str(bound.as_widget().__class__(
                bound.field.widget.render(bound.html_name, bound.value(), renderer=DJANGO,
                                          attrs=bound.build_widget_attrs({}) | {"id": bound.auto_id})))
        assert "<option" in str(form["commune"].as_widget())


def test_an_option_template_changed_by_a_widget_is_left_to_django():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    widget = Custom(choices=[("a", "A")])
    context = widget.get_context("f", "a", {})
    assert OURS.render("django/forms/widgets/select.html", context) == DJANGO.render(
        "django/forms/widgets/select.html", context)


def test_a_date_label_is_localized_as_a_template_would(settings):
    widget = forms.Select(choices=[("d", datetime.date(2025, 12, 31)), (1, 1234567)])
    context = widget.get_context("f", "d", {})
    with translation.override("vi"):
        assert OURS.render("django/forms/widgets/select.html", context) == DJANGO.render(
            "django/forms/widgets/select.html", context)
