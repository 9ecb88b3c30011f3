"""Editing the scorecard (officers) and reading its history. The only writes here are the scorecard's own
rows; every one goes through clean_and_save, so the history names who changed it and when."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from clubs.models import staff_of
from clubs.services import clean_and_save

from .criteria import FIGURES
from .models import Criterion, Scorecard

NOT_OFFICER = _("Chỉ cán bộ tỉnh được sửa bảng tiêu chí xếp loại.")
ACTIONS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


@transaction.atomic
def scorecard_save(*, scorecard, criteria=(), user):
    """Save the scorecard and its new or changed criteria (nothing is saved when one is refused)."""
    staff = staff_of(user)
    if staff is None or not staff.sees_all:
        raise ValidationError(NOT_OFFICER, code="not_officer")
    clean_and_save(scorecard, user=user)
    for criterion in criteria:
        criterion.scorecard = scorecard
        clean_and_save(criterion, user=user)
    return scorecard


def _shown(field, value):
    if value is None or value == "":
        return "—"
    if field.name == "figure":
        found = FIGURES.get(value)
        return str(found.label) if found else value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _t("Có") if value else _t("Không")
    return str(value)


def scorecard_history(scorecard):
    """Newest first: {when, who, action, label, changes [(field, old, new)]} for the scorecard and each of
    its criteria. Two queries (plus the users', joined), whatever the length of the history."""
    sources = (
        (Scorecard, scorecard.history.all(), lambda r: _t("Bảng tiêu chí")),
        (Criterion, Criterion.history.filter(scorecard_id=scorecard.pk),
         lambda r: _t("Tiêu chí %(n)s. %(label)s") % {"n": r.order, "label": r.label}),
    )
    entries = []
    for model, qs, label in sources:
        previous = {}
        for record in qs.select_related("history_user").order_by("history_date", "history_id"):
            old = previous.get(record.id)
            changes = []
            if old is not None and record.history_type == "~":
                for change in record.diff_against(old).changes:
                    field = model._meta.get_field(change.field)
                    name = str(field.verbose_name)
                    changes.append((name[:1].upper() + name[1:], _shown(field, change.old), _shown(field, change.new)))
                if not changes:
                    previous[record.id] = record
                    continue
            user = record.history_user
            entries.append({
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else _t("(hệ thống)"),
                "action": str(ACTIONS.get(record.history_type, record.history_type)),
                "label": label(record),
                "changes": changes,
            })
            previous[record.id] = record
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


