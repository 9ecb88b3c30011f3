"""Who changed what, and when, in one club: its own record, members, board, activities and meetings.

One query per kind of record (plus name look-ups), whatever the length of the history; the diffs
come from simple_history's diff_against on neighbouring records of the same object.
"""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Activity, Area, BoardMembership, Club, Meeting, Member, MemberDataExport, MonthReport

ACTIONS = {"+": gettext_lazy("Tạo mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


def _label_club(record, names):
    return _("CLB %(code)s") % {"code": record.code}


def _label_member(record, names):
    return _("Thành viên %(name)s (%(code)s)") % {"name": record.full_name, "code": record.code}


def _label_board(record, names):
    return _("Ban chủ nhiệm: %(role)s – %(name)s") % {
        "role": BoardMembership.Role(record.role).label, "name": names["member"].get(record.member_id, "?"),
    }


def _label_activity(record, names):
    return _("Hoạt động %(date)s – %(area)s") % {
        "date": record.date.strftime("%d/%m/%Y"), "area": record.get_area_display(),
    }


def _label_meeting(record, names):
    return _("Buổi sinh hoạt %(date)s") % {"date": record.held_on.strftime("%d/%m/%Y")}


def _label_export(record, names):
    return _("Xuất toàn bộ dữ liệu cá nhân của %(name)s") % {"name": names["member"].get(record.member_id, "?")}


_label_export.action = gettext_lazy("Xuất dữ liệu")


def _label_month(record, names):
    return _("Báo cáo tháng %(month)02d/%(year)s") % {"month": record.month, "year": record.year}

KINDS = [
    (Club, "id", _label_club),
    (Member, "club_id", _label_member),
    (BoardMembership, "club_id", _label_board),
    (Activity, "club_id", _label_activity),
    (Meeting, "club_id", _label_meeting),
    (MemberDataExport, "member__club_id", _label_export),
    (MonthReport, "club_id", _label_month),
]
LOOKUPS = {"commune": "commune", "source_club": "club", "member": "member", "club": "club", "marked_by": "user"}


def _format(field, value, names):
    if value is None or value == "":
        return "—"
    if field.name in LOOKUPS:
        return names[LOOKUPS[field.name]].get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def club_history(club):
    """Newest first: dicts with when, who, action, label and changes [(field label, old, new)]."""
    records = []
    for model, key, labeller in KINDS:
        qs = model.history.filter(**{key: club.pk})
        records.append((model, labeller, qs))
    return _entries(records, club)


def member_history(member):
    """The same, for one member: their register line and their board seats."""
    records = [
        (Member, _label_member, Member.history.filter(id=member.pk)),
        (BoardMembership, _label_board, BoardMembership.history.filter(member_id=member.pk)),
        (MemberDataExport, _label_export, MemberDataExport.history.filter(member_id=member.pk)),
    ]
    return _entries(records, member.club)


def _entries(querysets, club):
    records = [
        (model, labeller, list(qs.select_related("history_user").order_by("id", "history_date", "history_id")))
        for model, labeller, qs in querysets
    ]
    member_ids = {r.member_id for _m, _l, rs in records for r in rs if hasattr(r, "member_id")}
    club_rows = [r for model, _l, rs in records if model is Club for r in rs]
    commune_ids = {r.commune_id for r in club_rows}
    club_ids = {r.source_club_id for r in club_rows if r.source_club_id} | {club.pk}
    names = {
        "member": {m.pk: m.full_name for m in Member.objects.filter(pk__in=member_ids).only("full_name")},
        "commune": dict(Area.objects.filter(pk__in=commune_ids).values_list("pk", "name")),
        "club": dict(Club.objects.filter(pk__in=club_ids).values_list("pk", "code")),
        "user": {u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(
            pk__in={r.marked_by_id for _m, _l, rs in records for r in rs if getattr(r, "marked_by_id", None)})},
    }
    entries = []
    for model, labeller, rows in records:
        previous = {}
        for record in rows:
            old = previous.get(record.id)
            changes = []
            if old is not None and record.history_type == "~":
                delta = record.diff_against(old, excluded_fields=["attendees"])
                for change in delta.changes:
                    field = model._meta.get_field(change.field)
                    changes.append((field.verbose_name, _format(field, change.old, names), _format(field, change.new, names)))
                if not changes:
                    previous[record.id] = record
                    continue
            user = record.history_user
            entries.append({
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else _("(hệ thống)"),
                "action": getattr(labeller, "action", None) or ACTIONS.get(record.history_type, record.history_type),
                "label": labeller(record, names),
                "changes": changes,
            })
            previous[record.id] = record
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries

