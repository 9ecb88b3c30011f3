"""Every reason an import row can be refused, in Vietnamese; tests import these constants."""
from django.utils.translation import gettext_lazy as _

# The rules the entry forms apply say the same thing in the same words when a file breaks them.
from clubs.area_models import LEGACY_COMMUNE, LEGACY_COMMUNE_REPLACED  # noqa: F401
from clubs.rules import (  # noqa: F401
    ACTIVITY_TOO_MANY_PARTICIPANTS, ALREADY_LEFT, CLUB_ALREADY_DISSOLVED, CLUB_CODE_TAKEN, CLUB_NOT_AVAILABLE,
    DISSOLUTION_REASON_REQUIRED, DISSOLVED_BEFORE_FOUNDED, DUPLICATE_MEMBER, FOUNDED_AFTER_MEMBERS, JOINED_BEFORE_FOUNDED,
    LEFT_BEFORE_JOINED, LIKELY_DUPLICATE, MEETING_BEFORE_FOUNDED, MEETING_TOO_MANY_PRESENT, MEMBER_CODE_TAKEN,
    SOURCE_FOUNDED_LATER, SOURCE_ONLY_FOR_ROTATION,
)
from clubs.rules import BIRTH_DATE_YEAR_MISMATCH as BIRTH_YEAR_MISMATCH  # noqa: F401
from clubs.rules import DATE_IN_FUTURE as FUTURE_DATE  # noqa: F401
from clubs.rules import ROTATION_NEEDS_SOURCE as ROTATION_SOURCE_REQUIRED  # noqa: F401
from clubs.rules import SOURCE_IS_SELF as ROTATION_SOURCE_SELF  # noqa: F401
from funds.services import ERR_AFTER_DISSOLVED as AFTER_DISSOLVED  # noqa: F401
from funds.services import ERR_AMOUNT_POSITIVE as NOT_POSITIVE  # noqa: F401
from funds.services import ERR_BEFORE_DISBURSED as PAID_BEFORE_DISBURSED  # noqa: F401
from funds.services import ERR_BEFORE_FOUNDING as BEFORE_FOUNDED  # noqa: F401
from funds.services import ERR_REPAY_EMPTY as REPAYMENT_EMPTY  # noqa: F401
from funds.services import ERR_REPAY_NEGATIVE as NEGATIVE  # noqa: F401
from funds.services import ERR_SOURCE_REQUIRED as IN_NEEDS_SOURCE  # noqa: F401

MISSING_COLUMN = _("Thiếu cột bắt buộc.")
REQUIRED = _("Bắt buộc, đang để trống.")
BAD_DATE = _("Ngày không hợp lệ: dùng ô ngày của Excel hoặc gõ dd/mm/yyyy.")
BAD_MONEY = _("Số tiền không hợp lệ: nhập số đồng nguyên, ví dụ 15000000 hoặc 15.000.000.")
BAD_INT = _("Phải là số nguyên không âm.")
TOO_BIG = _("Số quá lớn: tối đa %(max)s.")
BAD_YEAR = _("Năm sinh phải là số có 4 chữ số, từ 1900 đến %(year)s.")
BAD_CHOICE = _("Giá trị không có trong danh sách: %(choices)s.")
BAD_AREA = _("Mảng hoạt động phải là số từ 1 đến 8 hoặc tên mảng.")
TOO_LONG = _("Dài quá %(max)s ký tự.")
TOO_LONG_CODE = _("Mã “%(value)s” dài quá %(max)s ký tự.")
BAD_CODE_IN_LIST = _("Mã “%(value)s”: %(reason)s")
BAD_LABEL = _("“%(value)s” không có trong danh sách: %(choices)s.")
UNKNOWN_COMMUNE = _("Không có xã/phường hiện hành mã %(code)s.")
COMMUNE_OUT_OF_SCOPE = _("Xã/phường %(name)s không thuộc địa bàn bạn được phép nhập.")
DUPLICATE = _("Trùng mã với dòng %(row)s của cùng sheet.")
ROTATION_SOURCE_UNKNOWN = _("Không có CLB mã %(code)s để làm CLB luân chuyển vốn.")
ROTATION_CYCLE = _("Các CLB luân chuyển vốn cho nhau thành vòng khép kín.")
UNKNOWN_MEMBER = _("CLB %(club)s không có thành viên mã %(code)s.")
BORROWER_NOT_ACTIVE = _("Thành viên %(code)s không phải thành viên đang sinh hoạt vào ngày giải ngân %(date)s.")
DUE_NOT_AFTER = _("Ngày đến hạn phải sau ngày giải ngân (%(date)s).")
UNKNOWN_LOAN = _("CLB %(club)s không có khoản vay mã %(code)s.")
OVERPAID = _("Tổng tiền gốc đã trả (%(total)s) vượt số tiền vay (%(principal)s).")
FUND_NEGATIVE = _("Quỹ %(fund)s của CLB %(club)s bị âm vào cuối ngày %(date)s (số dư %(balance)s).")
MONEY_ROW_CHANGED = _(
    "Đã ghi sổ với %(field)s là %(old)s; số liệu tiền đã ghi không sửa bằng tệp, hãy lập bút toán đảo trên trang quỹ."
)
NO_SHEETS = _(
    "Tệp không có sheet nào đúng mẫu (CLB, Thành viên, Khoản vay, Trả nợ, Quỹ, Hoạt động, Sinh hoạt, Khám sức khỏe, "
    "Người được chăm sóc, Thăm chăm sóc)."
)
CONCURRENT_CHANGE = _("Dữ liệu vừa được người khác cập nhật trong lúc nhập; chưa lưu gì, hãy nhập lại.")
JOINED_AFTER_DISSOLVED = _("CLB đã giải thể ngày %(date)s, không nhận thành viên từ ngày đó.")
MEETING_COUNT_NAMED = _(
    "Buổi sinh hoạt này đã ghi danh sách %(count)s người có mặt trong ứng dụng; sửa số người dự ở trang buổi sinh hoạt."
)

# The Khám sức khỏe sheet (docs/workbook-care.md); the rules of readings and dates are care.services'.
HEALTH_ORGANISER_DIFFERS = _(
    "Khác với dòng %(row)s của cùng buổi khám/đo (cùng CLB, ngày và hình thức): một buổi chỉ có một người/đơn vị thực hiện."
)
HEALTH_SESSION_AMBIGUOUS = _(
    "CLB %(club)s đã có %(count)s buổi khám/đo cùng ngày %(date)s và cùng hình thức: không biết dòng này thuộc buổi nào, "
    "hãy sửa trên trang khám sức khỏe của CLB."
)


# The Người được chăm sóc and Thăm chăm sóc sheets (docs/workbook-care.md); the rules of care periods
# and visits are care.home_services'.
# A name given beside a member code (health checks, care, visits) must be that member's.
MEMBER_NAME_MISMATCH = _("Mã thành viên %(code)s của CLB %(club)s là %(name)s, không phải “%(given)s”.")
VISIT_NO_CARE = _(
    "%(name)s (mã %(code)s) chưa có thời gian chăm sóc nào: ghi ở sheet Người được chăm sóc trước khi ghi lần thăm."
)


# The marked copy of an upload: a first column, ignored on import, says what is wrong with each row.
REASONS_HEADER = _("Lỗi")
REASON_IN_COLUMN = _("Cột %(column)s: %(reason)s")

# Steps of an import run as a task, shown above its progress bar.
STEP_CHECKING = _("Đang kiểm tra sheet %(sheet)s")
STEP_BALANCES = _("Đang kiểm tra số dư các quỹ")
STEP_WRITING = _("Đang ghi vào cơ sở dữ liệu: %(sheet)s")
EXPORTING = _("Đang xuất các CLB ra tệp Excel")
