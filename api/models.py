"""API tokens: one per use (a national roll-up script, a partner's dashboard) of a staff account.

Only a hash of the key is stored: the key is shown once, when it is made. A token is never deleted,
only revoked, so the history says which key read the data and until when."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked, and of an active account that still has a staff role."""
        return self.filter(revoked=False, user__is_active=True, user__staff__isnull=False)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_tokens",
                             verbose_name=_("tài khoản"))
    name = models.CharField(_("tên gọi"), max_length=100)
    # SHA-256 of the key, hex: a key is 256 random bits, so a slow password hash adds nothing, and a
    # plain digest lets one indexed query find the token.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, for telling the tokens of one account apart on the page.
    prefix = models.CharField(_("đầu mã"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("người tạo"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người thu hồi"))
    # Every use would otherwise add a history row: last_used_at is written with update(), outside it.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
