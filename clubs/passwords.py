"""Django's password validators, speaking Vietnamese. Listed in AUTH_PASSWORD_VALIDATORS, so the
login forms, the admin and `create_staff` (through `validate_password`) all apply them."""
from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext_lazy as _

TOO_SHORT = _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.")
TOO_SIMILAR = _("Mật khẩu quá giống %(verbose_name)s.")
TOO_COMMON = _("Mật khẩu này quá phổ biến, dễ bị đoán.")
ENTIRELY_NUMERIC = _("Mật khẩu không được chỉ gồm chữ số.")


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return TOO_SHORT % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return TOO_SIMILAR

    def get_help_text(self):
        return _("Mật khẩu không được giống tên đăng nhập hay họ tên.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return TOO_COMMON

    def get_help_text(self):
        return _("Mật khẩu không được là một mật khẩu phổ biến.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return ENTIRELY_NUMERIC

    def get_help_text(self):
        return _("Mật khẩu không được chỉ gồm chữ số.")
