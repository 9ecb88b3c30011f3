"""Who changed a row of the plan's activities, and when: its history records newest first, each with the
fields it changed (one query, whatever the length of the history)."""
from django.utils.translation import gettext as _

from clubs.history import ACTIONS


def row_history(obj):
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous = [], None
    for record in records:
        changed = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            changed = [str(obj._meta.get_field(c.field).verbose_name) for c in delta.changes]
        user = record.history_user
        entries.append({
            "when": record.history_date,
            "who": (user.get_full_name() or user.username) if user else _("(hệ thống)"),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "changed": changed,
        })
        previous = record
    entries.reverse()
    return entries
