"""Making and revoking API tokens: the one write path for the officer's page, the command and the admin."""
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.models import staff_of

from .models import ApiToken

KEY_PREFIX = "lcclb_"
NAME_REQUIRED = _("Ghi tên gọi của mã (dùng vào việc gì, ví dụ “tổng hợp toàn quốc”).")
ACCOUNT_NOT_STAFF = _("Tài khoản %(username)s không phải cán bộ (không có vai trò) hoặc đã bị khóa: không cấp mã API.")
ALREADY_REVOKED = _("Mã này đã được thu hồi.")


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name, actor):
    """A new token for `user`; returns (token, key). The key is not stored: it can be shown only now."""
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = [ValidationError(NAME_REQUIRED, code="name_required")]
    if not user.is_active or staff_of(user) is None:
        errors["user"] = [ValidationError(ACCOUNT_NOT_STAFF, code="not_staff", params={"username": user.username})]
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_hash=key_hash(key), prefix=key[:len(KEY_PREFIX) + 6],
                     created_by=actor)
    token.full_clean()
    token._history_user = actor
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, token, actor):
    """Revoke for good: the row stays, with who and when, and the key stops working at once."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked:
        raise ValidationError(ALREADY_REVOKED, code="already_revoked")
    token.revoked, token.revoked_at, token.revoked_by = True, timezone.now(), actor
    token.full_clean()
    token._history_user = actor
    token.save()
    return token


def staff_accounts():
    """The accounts a token may be made for: active, with a staff role."""
    return get_user_model().objects.filter(is_active=True, staff__isnull=False).select_related("staff__district")
