"""Subject-access export: everything held about one member, as one xlsx, for officers only.

Each export is recorded (clubs.personal_data.record_member_export) and shows in the history. It
lives in funds because it includes the member's loans; clubs cannot read funds.
"""
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from clubs.access import get_member_for_user
from clubs.history import member_history
from clubs.models import Member, staff_of
from clubs.personal_data import record_member_export

from .models import Loan, Repayment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The register's own columns; search_text is only a folded copy of the name.
MEMBER_FIELDS = [f for f in Member._meta.concrete_fields if f.name not in {"id", "search_text", "club"}]


def _sheet(book, title, headers, rows):
    ws = book.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_plain(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a name starting with "=" stays text, never a formula
            elif hasattr(cell.value, "year"):
                cell.number_format = "DD/MM/YYYY"
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = max(12, min(60, max(len(str(c.value or "")) for c in column) + 2))
    return ws


def _plain(value):
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return "" if value is None else value


def member_workbook(member):
    """Bytes of the workbook: the register line, board seats, meetings attended, loans, repayments
    and the history of the member's record (with earlier exports)."""
    book = Workbook()
    book.remove(book.active)
    register = [(_("CLB"), f"{member.club.code} – {member.club.name}")]
    for field in MEMBER_FIELDS:
        value = getattr(member, f"get_{field.name}_display")() if field.choices else getattr(member, field.name)
        register.append((str(field.verbose_name).capitalize(), value))
    _sheet(book, _("Thành viên"), [_("Thông tin"), _("Giá trị")], register)
    _sheet(book, _("Ban chủ nhiệm"), [_("Chức vụ"), _("Từ ngày"), _("Đến ngày")],
           [(b.get_role_display(), b.started_on, b.ended_on) for b in member.board_roles.order_by("started_on")])
    _sheet(book, _("Sinh hoạt"), [_("Ngày sinh hoạt có mặt")],
           [(m.held_on,) for m in member.meetings_attended.order_by("held_on")])
    loans = list(Loan.objects.filter(member=member).order_by("disbursed_on", "code"))
    _sheet(book, _("Khoản vay"),
           [_("Mã khoản vay"), _("Ngày giải ngân"), _("Số tiền (đ)"), _("Ngày đến hạn"), _("Lãi/phí (%/tháng)"), _("Mục đích")],
           [(x.code, x.disbursed_on, x.principal, x.due_on, x.rate_percent_month, x.purpose) for x in loans])
    repayments = Repayment.objects.filter(loan__member=member).select_related("loan", "reverses").order_by("paid_on", "pk")
    _sheet(book, _("Trả nợ"),
           [_("Mã khoản vay"), _("Ngày trả"), _("Tiền gốc (đ)"), _("Tiền lãi/phí (đ)"), _("Ghi chú"), _("Đảo bút toán ngày")],
           [(r.loan.code, r.paid_on, r.principal, r.interest, r.note, r.reverses.paid_on if r.reverses else None)
            for r in repayments])
    _sheet(book, _("Lịch sử"), [_("Lúc"), _("Người làm"), _("Việc"), _("Nội dung"), _("Thay đổi")],
           [(e["when"], e["who"], str(e["action"]), e["label"],
             "; ".join(f"{label}: {old} → {new}" for label, old, new in e["changes"])) for e in member_history(member)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def member_export(request, club_code, pk):
    # Scope first, as on every club page: a member outside the user's area is a 404 whatever the method.
    member = get_member_for_user(request.user, club_code, pk)
    staff = staff_of(request.user)
    if staff is None or not staff.sees_all:
        raise PermissionDenied(_("Chỉ cán bộ tỉnh được xuất dữ liệu cá nhân của thành viên."))
    if request.method != "POST":  # the export is recorded: a link or a prefetch must not make one
        return HttpResponseNotAllowed(["POST"])
    record_member_export(member=member, user=request.user)
    response = HttpResponse(member_workbook(member), content_type=XLSX)
    filename = f"du-lieu-ca-nhan-{member.club.code}-{member.code}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
