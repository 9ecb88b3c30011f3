"""Subject-access exports: recording that a member's data left the system, and who took it."""
from django.db import transaction

from .models import MemberDataExport


@transaction.atomic
def record_member_export(*, member, user):
    export = MemberDataExport(member=member, exported_by=user)
    export._history_user = user  # also when called outside a request (no history middleware)
    export.full_clean()
    export.save()
    return export
