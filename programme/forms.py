"""The entry forms of the plan's activities: they read what staff type (dd/mm/yyyy dates, amounts in
đồng), programme.services decides what is allowed."""
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from clubs.fields import AppVoice, ModelChoiceField, ModelMultipleChoiceField, MoneyField, date_field
from clubs.forms import ServiceErrors, ServiceForm
from clubs.models import Area, Club

from . import services
from .models import PARTICIPANT_KINDS, BudgetLine, Communication, ExchangeVisit, Source, SupervisionVisit, Training


class AreaField(ModelChoiceField):
    def label_from_instance(self, obj):
        # Communes are listed under their former district, indented.
        return f"– {obj.name}" if obj.level == Area.Level.COMMUNE else obj.name


def area_choices(user):
    """The province, then each former district followed by its communes."""
    return services.allowed_areas(user).annotate(
        top=Case(When(level=Area.Level.PROVINCE, then=Value(0)), default=Value(1), output_field=IntegerField()),
        group=Case(When(level=Area.Level.COMMUNE, then=F("parent__code")), default=F("code")),
        sub=Case(When(level=Area.Level.COMMUNE, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("top", "group", "sub", "name", "pk")


class EntryForm(ServiceForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "area" in self.fields:
            self.fields["area"] = AreaField(area_choices(user), label=_("Địa bàn"),
                                            help_text=_("Cấp tổ chức là cấp của địa bàn: tỉnh, huyện cũ hoặc xã."))
        if "note" in self.fields:
            self.fields["note"].widget = forms.Textarea(attrs={"rows": 2})


def _count(label, required=False):
    return forms.IntegerField(label=label, min_value=0, required=required,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class TrainingForm(EntryForm):
    date = date_field(_("Ngày tập huấn"))

    class Meta:
        model = Training
        fields = list(services.TRAINING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PARTICIPANT_KINDS:
            label = str(Training._meta.get_field(name).verbose_name)
            self.fields[name] = _count(label[:1].upper() + label[1:])
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-md-3"), Column("area", css_class="col-md-5"),
                Column("organiser", css_class="col-md-4")),
            "topic",
            Row(*[Column(name, css_class="col-6 col-md-3") for name in PARTICIPANT_KINDS]),
            "note",
        )


class CommunicationForm(EntryForm):
    date = date_field(_("Ngày"))

    class Meta:
        model = Communication
        fields = list(services.COMMUNICATION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = _count(_("Số lượng (bản, tin bài, sản phẩm)"))
        self.fields["audience"] = _count(_("Số người tham dự, tiếp cận"))
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-md-3"), Column("kind", css_class="col-md-4"),
                Column("area", css_class="col-md-5")),
            "title",
            Row(Column("quantity", css_class="col-6 col-md-3"), Column("audience", css_class="col-6 col-md-3")),
            "note",
        )


class ExchangeForm(EntryForm):
    date = date_field(_("Ngày"))

    class Meta:
        model = ExchangeVisit
        fields = [*services.EXCHANGE_FIELDS, "clubs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clubs"] = ModelMultipleChoiceField(
            Club.objects.visible_to(self.user).order_by("code"), label=_("Các CLB tham gia"),
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_("Giữ phím Ctrl (hoặc chạm giữ trên điện thoại) để chọn nhiều CLB."))
        self.fields["participants"] = _count(_("Số người tham gia"))
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-md-3"), Column("area", css_class="col-md-5"),
                Column("participants", css_class="col-md-4")),
            "title", "clubs",
            Row(Column("outside_province", css_class="col-md-3"), Column("destination", css_class="col-md-9")),
            "note",
        )


class SupervisionForm(EntryForm):
    date = date_field(_("Ngày kiểm tra, giám sát"))
    follow_up_done_on = date_field(_("Ngày thực hiện xong"), required=False)

    class Meta:
        model = SupervisionVisit
        fields = list(services.SUPERVISION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"] = ModelChoiceField(Club.objects.visible_to(self.user).order_by("code"), label=_("CLB"))
        for name in ("findings", "follow_up"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 3})
        self.helper.layout = Layout(
            Row(Column("club", css_class="col-md-6"), Column("date", css_class="col-md-3")),
            "by_whom", "findings", "follow_up",
            Row(Column("follow_up_done", css_class="col-md-4"), Column("follow_up_done_on", css_class="col-md-4")),
        )


class BudgetForm(EntryForm):
    estimate = MoneyField(label=_("Dự toán (đồng)"), required=False, min_value=0)
    actual = MoneyField(label=_("Thực hiện (đồng)"), required=False, min_value=0)

    class Meta:
        model = BudgetLine
        fields = list(services.BUDGET_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=_("Năm"), widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}))
        self.fields["source"] = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=Source.choices)
        self.helper.layout = Layout(
            Row(Column("year", css_class="col-md-2"), Column("area", css_class="col-md-5"),
                Column("source", css_class="col-md-5")),
            Row(Column("estimate", css_class="col-6 col-md-4"), Column("actual", css_class="col-6 col-md-4")),
            "note",
        )


class CancelForm(ServiceErrors, AppVoice, forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=300,
                             help_text=_("Ví dụ: nhập nhầm, trùng với dòng đã có."))
