from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.fields import AppVoice

from .services import staff_accounts


class AccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        staff = user.staff
        where = _("toàn tỉnh") if staff.sees_all else staff.district.name
        return f"{user.username} – {user.get_full_name() or user.username} ({staff.get_role_display()}, {where})"


class TokenForm(AppVoice, forms.Form):
    user = AccountChoice(label=_("Tài khoản cán bộ"), queryset=staff_accounts().order_by("username"),
                         help_text=_("Mã thấy đúng những gì tài khoản này thấy trên các trang."))
    name = forms.CharField(label=_("Tên gọi"), max_length=100,
                           help_text=_("Dùng vào việc gì, ví dụ “tổng hợp toàn quốc”."))
