"""Staff logins: the one write that creates or updates an account with its role, for `create_staff`
and the demo accounts."""
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .actors import SYSTEM_USERNAME
from .models import Area, Staff

SYSTEM_NAME_TAKEN = f"{SYSTEM_USERNAME} là tài khoản hệ thống, không dùng làm tài khoản cán bộ."
DISTRICT_REQUIRED = "Cán bộ huyện cần --district MÃ_HUYỆN."
NO_SUCH_DISTRICT = "Không có huyện cũ mã %(code)s."


def password_check(password, *, username, name=""):
    """AUTH_PASSWORD_VALIDATORS, as the admin and the password forms apply them."""
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    if name:
        user.first_name = name
    validate_password(password, user)


@transaction.atomic
def staff_save(*, username, role, district_code=None, name="", password_hash, actor):
    """Create or update `username` with `role` (and the district of district staff). The password
    comes hashed (django.contrib.auth.hashers.make_password, after password_check): accounts given
    one password share one hash instead of paying for the key stretching each time."""
    if username == SYSTEM_USERNAME:
        raise ValidationError(SYSTEM_NAME_TAKEN, code="system_name")
    area = None
    if role == Staff.Role.DISTRICT:
        if not district_code:
            raise ValidationError(DISTRICT_REQUIRED, code="district_required")
        area = Area.objects.districts().filter(code=district_code).first()
        if area is None:
            raise ValidationError(NO_SUCH_DISTRICT, code="no_district", params={"code": district_code})
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    created = user.pk is None
    if name:
        user.first_name = name
    user.password = password_hash
    user.is_staff = user.is_superuser = role == Staff.Role.ADMIN
    user.save()
    staff = Staff.objects.filter(user=user).first() or Staff(user=user)
    staff.role, staff.district = role, area
    staff.full_clean(exclude=["user"])
    staff._history_user = actor
    staff.save()
    return staff, created
