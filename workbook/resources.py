"""A plain django-import-export resource for the `Thành viên` sheet: the row-by-row baseline the
benchmark compares the bulk importer with."""
from import_export import fields, resources, widgets

from clubs.models import Club, Member

from .spec import GENDER_CHOICES, HOUSEHOLD_CHOICES, choice_key


class LabelWidget(widgets.Widget):
    def __init__(self, choices, **kwargs):
        self.by_label = {choice_key(label): value for label, value in choices}
        self.by_value = {value: label for label, value in choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.by_label.get(choice_key(value), "") if value else ""

    def render(self, value, obj=None, **kwargs):
        return self.by_value.get(value, "")


class MemberResource(resources.ModelResource):
    club = fields.Field(attribute="club", column_name="Mã CLB", widget=widgets.ForeignKeyWidget(Club, "code"))
    code = fields.Field(attribute="code", column_name="Mã thành viên")
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    gender = fields.Field(attribute="gender", column_name="Giới tính", widget=LabelWidget(GENDER_CHOICES))
    birth_year = fields.Field(attribute="birth_year", column_name="Năm sinh", widget=widgets.IntegerWidget())
    birth_date = fields.Field(attribute="birth_date", column_name="Ngày sinh", widget=widgets.DateWidget("%d/%m/%Y"))
    ethnicity = fields.Field(attribute="ethnicity", column_name="Dân tộc")
    household = fields.Field(attribute="household", column_name="Hoàn cảnh", widget=LabelWidget(HOUSEHOLD_CHOICES))
    joined_on = fields.Field(attribute="joined_on", column_name="Ngày tham gia", widget=widgets.DateWidget("%d/%m/%Y"))
    left_on = fields.Field(attribute="left_on", column_name="Ngày rời CLB", widget=widgets.DateWidget("%d/%m/%Y"))

    class Meta:
        model = Member
        import_id_fields = ("club", "code")
        fields = ("club", "code", "full_name", "gender", "birth_year", "birth_date", "ethnicity", "household",
                  "joined_on", "left_on")
        skip_unchanged = True
