"""`Authorization: Bearer <key>`: the key's token, if usable, names the staff account the request acts as."""
import datetime

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken
from .services import key_hash

# A busy client would otherwise write a row on every request (and on SQLite take the write lock):
# "last used" to the minute is what the officer needs to see which keys are still in use.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        found = ApiToken.objects.usable().select_related("user__staff__district").filter(
            key_hash=key_hash(token)).first()
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # Querysets scope by user (visible_to); the pages' rules then apply unchanged.
        request.user = found.user
        return found
