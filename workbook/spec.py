"""The exchange format of shared/spec/workbook.md as data: sheets, headers, value lists."""
import unicodedata
from dataclasses import dataclass

from care.models import Care, HealthSession, Help
from clubs.formatting import fold
from clubs.models import ActivityArea, Member, Track
from funds.models import EntryKind, Fund, Source

# Column kinds, each parsed by importer.parse_cell.
TEXT, CODE, DATE, MONEY, INT, YEAR, CHOICE, COMMUNE, AREA, FLAG = (
    "text", "code", "date", "money", "int", "year", "choice", "commune", "area", "flag",
)
# Several codes, or several labels of `choices`, in one cell separated by commas ("TV002, TV005").
CODES, LABELS = "codes", "labels"

# The example row of the blank template uses this club code; rows with it are skipped on import,
# so a user who keeps the example row while filling the template imports only their own rows.
EXAMPLE_CLUB_CODE = "VD-MAU"

LIST_SHEET = "Danh mục"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str
    required: bool = False
    choices: tuple = ()  # (label, value) pairs for CHOICE columns
    max_length: int | None = None


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    columns: tuple

    def __post_init__(self):
        # Looked up for every cell of every row: a dict, not a scan.
        object.__setattr__(self, "_by_key", {c.key: c for c in self.columns})

    def column(self, key):
        return self._by_key[key]


# Labels exactly as workbook.md writes them. They are spelled out rather than taken from the models'
# lazy labels: those get translated, and Django's own catalogue turns "Thu" into "Thứ 5" (Thursday).
TRACK_CHOICES = (
    ("Duy trì 2017-2020", Track.EXISTING), ("Mới - ngân sách", Track.NEW_BUDGET),
    ("Mới - luân chuyển vốn", Track.NEW_ROTATION), ("Khác", Track.OTHER),
)
YES = "Có"  # a FLAG column holds this or nothing
FLAG_CHOICES = ((YES, True),)
GENDER_CHOICES = (("Nam", Member.Gender.MALE), ("Nữ", Member.Gender.FEMALE))
HOUSEHOLD_CHOICES = (("Hộ nghèo", Member.Household.POOR), ("Hộ cận nghèo", Member.Household.NEAR_POOR))
FUND_CHOICES = (("Tăng thu nhập", Fund.INCOME), ("Hoạt động", Fund.ACTIVITY))
KIND_CHOICES = (("Thu", EntryKind.IN), ("Chi", EntryKind.OUT))
SOURCE_CHOICES = (
    ("Ngân sách tỉnh", Source.PROVINCE_BUDGET), ("Ngân sách huyện/xã", Source.LOCAL_BUDGET),
    ("Luân chuyển vốn", Source.ROTATION), ("Thành viên đóng góp", Source.MEMBERS), ("Xã hội hóa", Source.SOCIETY),
    ("Tài trợ quốc tế", Source.INTERNATIONAL), ("Lãi/phí cho vay", Source.LOAN_INTEREST), ("Khác", Source.OTHER),
)
AREA_CHOICES = (
    ("Tăng thu nhập", ActivityArea.INCOME), ("Chăm sóc sức khỏe", ActivityArea.HEALTH),
    ("Tình nguyện viên chăm sóc tại nhà", ActivityArea.HOMECARE), ("Tự giúp nhau, hỗ trợ cộng đồng", ActivityArea.SELFHELP),
    ("Bảo vệ quyền, lợi ích hợp pháp của người cao tuổi", ActivityArea.RIGHTS), ("Truyền thông", ActivityArea.COMMUNICATION),
    ("Thể thao, văn hoá, văn nghệ", ActivityArea.CULTURE), ("Vận động nguồn lực", ActivityArea.RESOURCES),
)

HEALTH_KIND_CHOICES = (
    ("Đo tại buổi sinh hoạt hằng tháng", HealthSession.Kind.MONTHLY),
    ("Khám định kỳ với trạm y tế", HealthSession.Kind.COMMUNE_STATION),
    ("Khám sàng lọc", HealthSession.Kind.SCREENING),
)

CLUBS = Sheet("clubs", "CLB", (
    Column("code", "Mã CLB", CODE, True, max_length=30),
    Column("name", "Tên CLB", TEXT, True, max_length=200),
    Column("commune", "Mã xã", COMMUNE, True),
    Column("village", "Thôn/bản", TEXT, max_length=100),
    Column("founded_on", "Ngày thành lập", DATE, True),
    Column("track", "Nguồn thành lập", CHOICE, True, TRACK_CHOICES),
    Column("source_club", "Mã CLB luân chuyển vốn", CODE, max_length=30),
    Column("regulation_on", "Ngày ban hành quy chế", DATE),
    Column("dissolved_on", "Ngày giải thể", DATE),
    Column("dissolution_reason", "Lý do giải thể", TEXT, max_length=300),  # required with the date: clubs.rules
))

MEMBERS = Sheet("members", "Thành viên", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("code", "Mã thành viên", CODE, True, max_length=30),
    Column("full_name", "Họ và tên", TEXT, True, max_length=150),
    Column("gender", "Giới tính", CHOICE, True, GENDER_CHOICES),
    Column("birth_year", "Năm sinh", YEAR, True),
    Column("birth_date", "Ngày sinh", DATE),
    Column("ethnicity", "Dân tộc", TEXT, max_length=50),
    Column("household", "Hoàn cảnh", CHOICE, False, HOUSEHOLD_CHOICES),
    Column("joined_on", "Ngày tham gia", DATE, True),
    Column("left_on", "Ngày rời CLB", DATE),
    Column("phone", "Điện thoại", TEXT, max_length=20),
    Column("village", "Thôn/bản", TEXT, max_length=100),
    Column("is_homecare_volunteer", "Tình nguyện viên chăm sóc tại nhà", FLAG, False, FLAG_CHOICES),
    Column("leave_reason", "Lý do rời CLB", TEXT, max_length=300),
))

LOANS = Sheet("loans", "Khoản vay", (
    Column("code", "Mã khoản vay", CODE, True, max_length=30),
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("member", "Mã thành viên", CODE, True, max_length=30),
    Column("disbursed_on", "Ngày giải ngân", DATE, True),
    Column("principal", "Số tiền", MONEY, True),
    Column("due_on", "Ngày đến hạn", DATE, True),
    Column("purpose", "Mục đích", TEXT, max_length=200),
))

REPAYMENTS = Sheet("repayments", "Trả nợ", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("loan", "Mã khoản vay", CODE, True, max_length=30),
    Column("paid_on", "Ngày trả", DATE, True),
    Column("principal", "Tiền gốc", MONEY, True),
    Column("interest", "Tiền lãi/phí", MONEY),
))

ENTRIES = Sheet("entries", "Quỹ", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("voucher_no", "Số phiếu", CODE, True, max_length=30),
    Column("fund", "Quỹ", CHOICE, True, FUND_CHOICES),
    Column("date", "Ngày", DATE, True),
    Column("kind", "Loại", CHOICE, True, KIND_CHOICES),
    Column("source", "Nguồn", CHOICE, False, SOURCE_CHOICES),
    Column("amount", "Số tiền", MONEY, True),
    Column("description", "Diễn giải", TEXT, max_length=300),
))

ACTIVITIES = Sheet("activities", "Hoạt động", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("date", "Ngày", DATE, True),
    Column("area", "Mảng hoạt động", AREA, True, AREA_CHOICES),
    Column("content", "Nội dung", TEXT, True, max_length=500),
    Column("participants", "Số người tham gia", INT),
))

MEETINGS = Sheet("meetings", "Sinh hoạt", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("held_on", "Ngày sinh hoạt", DATE, True),
    Column("attendee_count", "Số người dự", INT),
    Column("notes", "Nội dung", TEXT, max_length=2000),
))

# One row per member checked at a health session; a session is (club, date, kind), docs/workbook-care.md.
HEALTH = Sheet("health", "Khám sức khỏe", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("on", "Ngày khám/đo", DATE, True),
    # Not "kind": the drop-down lists are keyed by column key, and the Quỹ sheet's Thu/Chi is "kind".
    Column("session_kind", "Hình thức", CHOICE, True, HEALTH_KIND_CHOICES),
    Column("organiser", "Người/đơn vị thực hiện", TEXT, max_length=150),
    Column("member", "Mã thành viên", CODE, True, max_length=30),
    Column("full_name", "Họ và tên", TEXT, max_length=150),  # checked against the member's name when given
    Column("systolic", "Huyết áp tâm thu", INT),
    Column("diastolic", "Huyết áp tâm trương", INT),
    # Read by care.rules.parse_weight, the entry page's own reading of "52,5" (importer/health.py).
    Column("weight", "Cân nặng (kg)", TEXT, max_length=20),
))

# ---------------------------------------------------------------- home care (docs/workbook-care.md)

CARE_REASON_CHOICES = (
    ("Hạn chế vận động", Care.Reason.LIMITED_MOBILITY), ("Sống một mình", Care.Reason.LIVING_ALONE),
    ("Ốm đau, bệnh tật", Care.Reason.ILLNESS), ("Khuyết tật", Care.Reason.DISABILITY), ("Khác", Care.Reason.OTHER),
)
HELP_CHOICES = (
    ("Bữa ăn", Help.MEALS), ("Dọn dẹp", Help.CLEANING), ("Mua thuốc", Help.MEDICINE),
    ("Nhắc uống thuốc", Help.REMINDERS), ("Chăm sóc cá nhân", Help.PERSONAL), ("Giúp sản xuất", Help.FARM),
    ("Thăm hỏi động viên", Help.CHEER), ("Khác", Help.OTHER),
)

# A care period is keyed by member and start (importer/home_care.py).
CARE = Sheet("care", "Người được chăm sóc", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("member", "Mã thành viên", CODE, True, max_length=30),
    Column("full_name", "Họ và tên", TEXT, max_length=150),  # checked against the member's name when given
    Column("started_on", "Chăm sóc từ ngày", DATE, True),
    Column("ended_on", "Thôi chăm sóc từ ngày", DATE),
    Column("reason", "Lý do", CHOICE, True, CARE_REASON_CHOICES),
    Column("volunteers", "Tình nguyện viên phụ trách", CODES, max_length=30),  # the length of each code
    Column("note", "Ghi chú", TEXT, max_length=1000),
))

# A visit is keyed by recipient, volunteer and date, and belongs to the care period covering its date.
VISITS = Sheet("visits", "Thăm chăm sóc", (
    Column("club", "Mã CLB", CODE, True, max_length=30),
    Column("date", "Ngày thăm", DATE, True),
    Column("recipient", "Mã người được chăm sóc", CODE, True, max_length=30),
    Column("volunteer", "Mã tình nguyện viên", CODE, True, max_length=30),
    Column("kinds", "Việc đã giúp", LABELS, True, HELP_CHOICES),
    Column("minutes", "Số phút", INT),
    Column("note", "Ghi chú", TEXT, max_length=1000),
))

SHEETS = (CLUBS, MEMBERS, LOANS, REPAYMENTS, ENTRIES, ACTIVITIES, MEETINGS, HEALTH, CARE, VISITS)


def header_key(text):
    """Header matching ignores case, surrounding spaces and a trailing `*`.

    Text is normalised to NFC first: Vietnamese typed with "Unicode tổ hợp" keyboards arrives decomposed.
    """
    text = unicodedata.normalize("NFC", str(text or ""))
    return " ".join(text.strip().removesuffix("*").strip().split()).casefold()


def choice_key(text):
    """Labels match ignoring case, spacing and diacritics typed differently (e.g. 'nu' for 'Nữ')."""
    return " ".join(fold(str(text)).replace("–", "-").split())


def label_of(choices, value):
    return next((label for label, v in choices if v == value), "")
