"""Demo accounts (and, as later capabilities land, demo clubs) built through the real model code."""
import calendar
import datetime
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from .bulk import bulk_create_with_history, insert_links

from .actors import system_user
from .models import Activity, Area, BoardMembership, Club, Meeting, Member
from .records import DemoRecord
from .staff import staff_save

DEMO_PASSWORD = "laichau2025"


# ---------------------------------------------------------------- what the demo made
#
# Every club, account and plan that seed_demo creates is listed in DemoRecord; a club's members,
# board, activities and money are the demo's because the club is. A later run creates and updates
# only those rows: a club, account or plan with a demo code or name that someone else made is left
# as it is, and so is everything that someone entered into such a club.


def demo_only(queryset):
    """The rows of `queryset` that seed_demo created."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    return queryset.filter(pk__in=DemoRecord.objects.filter(content_type=content_type).values("object_id"))


def mark_demo(queryset):
    """Record the rows of `queryset` as the demo's own (already recorded rows are skipped)."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    DemoRecord.objects.bulk_create(
        [DemoRecord(content_type=content_type, object_id=pk) for pk in queryset.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def demo_accounts():
    """(username, role, district code, display name) for every demo login."""
    accounts = [("canbo.tinh", "officer", None, "Cán bộ tỉnh"), ("quantri", "admin", None, "Quản trị")]
    for district in Area.objects.districts().order_by("code"):
        accounts.append((f"canbo.{district.code}", "district", district.code, f"Cán bộ {district.name}"))
    return accounts


def create_demo_accounts():
    """Create the demo logins that do not exist yet. An existing account, and its password, is left as
    it is (a password seed_demo did not set is never reset); returns the usernames someone else holds.
    The demo accounts share their one password, hence one hash (make_password takes half a second)."""
    users = get_user_model().objects.filter(username__in=[a[0] for a in demo_accounts()])
    others = set(users.exclude(pk__in=demo_only(users).values("pk")).values_list("username", flat=True))
    existing = set(users.values_list("username", flat=True))
    missing = [a for a in demo_accounts() if a[0] not in existing]
    if missing:
        password_hash, actor = make_password(DEMO_PASSWORD), system_user()
        for username, role, district, name in missing:
            staff_save(username=username, role=role, district_code=district, name=name,
                       password_hash=password_hash, actor=actor)
    mark_demo(users.exclude(username__in=others))
    return sorted(others)


# ---------------------------------------------------------------- demo clubs
#
# About 75 clubs over the 8 former districts following the plan (indicators.md §2): 25 existing clubs
# founded 2017–2020, the yearly schedule of new_budget and new_rotation clubs, and a few others.
# Most clubs meet the §3 checks; some deliberately fall short of one, so every screen and filter has
# something to show. Each club draws from its own Random(seed, code), so skipping the clubs that
# already exist (re-running) never changes the others.

NEW_SCHEDULE = {2022: (8, 1), 2023: (9, 2), 2024: (8, 4), 2025: (10, 5)}  # year: (new_budget, new_rotation)

DISTRICT_ETHNICITIES = {
    "105": ["Kinh", "Kinh", "Thái", "Giáy"],
    "106": ["Thái", "Giáy", "Mông", "Dao", "Kinh"],
    "107": ["Hà Nhì", "Hà Nhì", "Mông", "Thái", "Kinh"],
    "108": ["Mông", "Mông", "Thái", "Dao", "Hà Nhì"],
    "109": ["Dao", "Mông", "Giáy", "Thái"],
    "110": ["Thái", "Thái", "Kinh", "Mông", "Khơ Mú"],
    "111": ["Thái", "Thái", "Kinh", "Mông", "Khơ Mú", "Lự"],
    "112": ["Hà Nhì", "Thái", "Mông", "Dao"],
}

# (surnames, women's middle names, women's given names, men's middle names, men's given names)
NAMES = {
    "Thái": (["Lò", "Lường", "Tòng", "Quàng", "Cầm", "Điêu", "Vì", "Hoàng"], ["Thị"],
             ["Xuân", "Ơn", "Phanh", "Ín", "Pâng", "Sương", "Bun", "Én", "Thoong", "Hương", "Mai", "Lả", "Ngọc"],
             ["Văn"], ["Pọm", "Ún", "Thanh", "Xiêng", "Panh", "Inh", "Hặc", "Khăm", "Ngân", "Hoan", "Chiến"]),
    "Mông": (["Giàng", "Vàng", "Sùng", "Lý", "Thào", "Mùa", "Hạng", "Lầu", "Vừ", "Cứ"], ["Thị"],
             ["Mỷ", "Dợ", "Sua", "Chứ", "Pà", "Mai", "Dế", "Say", "Xó", "Chía", "Dung"],
             ["A", "Seo", "Văn"], ["Páo", "Chứ", "Sình", "Dế", "Lử", "Sử", "Tủa", "Chống", "Cở", "Vảng"]),
    "Dao": (["Tẩn", "Phàn", "Chảo", "Lý", "Đặng", "Triệu"], ["Mẩy", "Thị"],
            ["Chăn", "Slai", "Mùi", "Kiều", "Dùn", "Nái", "Xuân"],
            ["Láo", "Văn", "Kin"], ["Lở", "Sành", "Kin", "Quẩy", "Seo", "Phin", "Chàn"]),
    "Hà Nhì": (["Lý", "Chu", "Pờ", "Phu", "Ly", "Pháng", "Lò"], ["Mỳ", "Xá", "Thị"],
               ["Chừ", "Xá", "Mé", "Gơ", "Lo", "Pa"],
               ["Gạ", "Hừ", "Xá", "A"], ["Chà", "Giờ", "Xe", "Lỳ", "Phì", "Cà"]),
    "Kinh": (["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Đào", "Đinh"],
             ["Thị", "Thị Thu", "Thị Kim", "Thị Minh"],
             ["Hoa", "Lan", "Hạnh", "Huệ", "Nga", "Thu", "Hương", "Liên", "Hằng", "Tuyết", "Bích", "Dung", "Đào"],
             ["Văn", "Đình", "Đức", "Xuân", "Quang"],
             ["Hùng", "Minh", "Bình", "Dũng", "Thắng", "Sơn", "Hải", "Tuấn", "Long", "Đạt", "Cường"]),
    "Giáy": (["Hoàng", "Lù", "Sần", "Vàng", "Lò", "Giàng"], ["Thị"], ["Dung", "Sen", "Dín", "Mai", "Lả", "Piếu"],
             ["Văn", "Seo"], ["Dũng", "Sinh", "Chấn", "Seo", "Lìn", "Phà"]),
    "Lự": (["Lò", "Tao", "Pang", "Chiêu"], ["Thị"], ["Ươi", "Ỏn", "Phăn", "Ín"], ["Văn"], ["Ón", "Khăm", "Tuyên", "Xiêng"]),
    "Khơ Mú": (["Lò", "Vì", "Quàng", "Lường"], ["Thị"], ["Bua", "Xinh", "Ón", "Nhọt"], ["Văn"], ["Nọi", "Chăm", "Pâng", "Xom"]),
}

VILLAGES = [
    "Nà Tăm", "Bản Hon", "Sì Thâu Chải", "Nà Luông", "Pa Pe", "Hô Be", "Nậm Cày", "Lả Mà", "Thèn Sin", "Bản Giang",
    "Nà Khum", "Phiêng Phát", "Nà Cóc", "Ma Quai", "Nậm Hàng", "Hua Bum", "Pa Vệ Sủ", "Ka Lăng", "Mù Cả", "Thu Lũm",
    "Sì Lở Lầu", "Mường So", "Bản Lang", "Mường Kim", "Phúc Than", "Ta Gia", "Khoen On", "Nà Ban", "Vàng Pheo",
    "Hua Cuổi", "Nậm Dạng", "Huổi Luông", "Bản Thẳm", "Co Muông", "Tà Mung", "Nà Sẳng", "Bản Mè", "Nà Ngò",
    "Hô Nậm Mạ", "Phìn Hồ", "Tả Phìn", "Sàng Ma Sao", "Lùng Thàng", "Nậm Pồ", "Chu Va", "Bản Km 9", "Mường Cang",
    "Bản Đông", "Nà Phát", "Hoàng Hồ", "Bản Bo", "Khun Há", "Bình Lư", "Nà Hiềng", "Tổ dân phố 5", "Tổ dân phố 18",
    "Bản Giẳng", "Nậm Loỏng", "Pá Khôm", "Mường Mô", "Nậm Manh", "Bản Chiềng", "Phiêng Hin", "Nà Ít", "Bản Lướt",
    "Nậm Sỏ", "Pắc Ta", "Hua Pầu", "Nậm Cuổi", "Ma Ú", "Tủa Sín Chải", "Pu Sam Cáp", "Bum Tở", "Pa Ủ",
]

ACTIVITY_TEXTS = {
    1: ["Họp xét cho vay quỹ tăng thu nhập", "Thu hồi nợ gốc, lãi vay", "Tập huấn kỹ thuật chăn nuôi lợn",
        "Hướng dẫn trồng ngô, lúa nương", "Thăm mô hình nuôi gà của thành viên vay vốn"],
    2: ["Đo huyết áp, cân nặng cho thành viên", "Tư vấn phòng bệnh tăng huyết áp", "Tập dưỡng sinh buổi sáng",
        "Phối hợp trạm y tế khám sức khỏe định kỳ"],
    3: ["Tình nguyện viên thăm hỏi người cao tuổi ốm yếu", "Giúp cụ neo đơn dọn nhà, nấu ăn",
        "Thăm và chăm sóc người già tại nhà"],
    4: ["Giúp gia đình thành viên thu hoạch lúa", "Góp công sửa nhà cho hộ nghèo", "Hỗ trợ gia đình có người ốm"],
    5: ["Tuyên truyền Luật Người cao tuổi", "Tư vấn chế độ trợ cấp xã hội", "Hướng dẫn thủ tục nhận trợ cấp"],
    6: ["Truyền thông về mô hình CLB trên loa bản", "Họp bản giới thiệu hoạt động CLB",
        "Tuyên truyền phòng chống bạo lực gia đình"],
    7: ["Tập văn nghệ chào mừng ngày lễ", "Giao lưu văn nghệ với CLB bản bên", "Thi đấu bóng chuyền hơi, kéo co"],
    8: ["Vận động doanh nghiệp ủng hộ quỹ hoạt động", "Vận động con em xa quê đóng góp",
        "Vận động thành viên đóng góp quỹ hoạt động"],
}


def _club_plan(rng):
    """(track, founding year) for every demo club, in a fixed order."""
    plan = [("existing", 2017 + i % 4) for i in range(25)]
    for year, (budget, rotation) in NEW_SCHEDULE.items():
        plan += [("new_budget", year)] * budget + [("new_rotation", year)] * rotation
    plan += [("other", 2019), ("other", 2021), ("other", 2023)]
    return plan


def _person(rng, ethnicity, gender):
    surnames, f_mid, f_given, m_mid, m_given = NAMES[ethnicity]
    if gender == "female":
        return f"{rng.choice(surnames)} {rng.choice(f_mid)} {rng.choice(f_given)}"
    return f"{rng.choice(surnames)} {rng.choice(m_mid)} {rng.choice(m_given)}"


def seed_clubs(*, seed, stdout):
    """Demo clubs with members, board, activities and meetings. Skips every club whose code exists."""
    today = timezone.localdate()
    rng = random.Random(seed)
    districts = list(Area.objects.districts().order_by("code").prefetch_related("children"))
    communes = {d.code: [c for c in d.children.all() if c.level == Area.Level.COMMUNE] for d in districts}
    villages = VILLAGES[:]
    rng.shuffle(villages)
    specs = []
    per_district = {d.code: 0 for d in districts}
    for i, (track, year) in enumerate(_club_plan(rng)):
        district = districts[i % len(districts)]
        per_district[district.code] += 1
        founded = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        if founded > today:
            founded = today - datetime.timedelta(days=rng.randint(30, 90))
        specs.append({
            "code": f"CLB-{district.code}-{per_district[district.code]:02d}",
            "district": district.code, "commune": rng.choice(communes[district.code]),
            "village": villages[i % len(villages)], "track": track, "founded_on": founded,
        })
    codes = [s["code"] for s in specs]
    taken = set(Club.objects.filter(code__in=codes).values_list("code", flat=True))
    theirs = taken - set(demo_only(Club.objects.filter(code__in=codes)).values_list("code", flat=True))
    if theirs:
        stdout.write(f"CLB mẫu: {len(theirs)} mã đã là CLB do người dùng nhập, giữ nguyên, không tạo dữ liệu mẫu "
                     f"cho các mã: {', '.join(sorted(theirs))}.\n")
    todo = [s for s in specs if s["code"] not in taken]
    if not todo:
        stdout.write("CLB mẫu: đã có, bỏ qua.")
        return

    actor = system_user()  # the demo's history names the system account, not nobody
    with transaction.atomic():
        sources = [s for s in specs if s["track"] == "existing"]
        # Rotation clubs go last so the existing club whose capital founded them already has its id.
        for batch in ([s for s in todo if s["track"] != "new_rotation"], [s for s in todo if s["track"] == "new_rotation"]):
            by_code = {c.code: c for c in demo_only(Club.objects.filter(code__in=codes))}
            clubs = []
            for spec in batch:
                crng = random.Random(f"{seed}:{spec['code']}")
                founded = spec["founded_on"]
                regulation = None if crng.random() < 0.06 else min(founded + datetime.timedelta(days=crng.randint(0, 60)), today)
                club = Club(
                    code=spec["code"], name=f"CLB liên thế hệ tự giúp nhau {spec['village']}", commune=spec["commune"],
                    village=spec["village"], founded_on=founded, track=spec["track"],
                    decision_number=f"{crng.randint(12, 290)}/QĐ-UBND", regulation_on=regulation,
                    meeting_frequency="twice_quarterly" if crng.random() < 0.1 else "monthly",
                )
                if spec["track"] == "new_rotation":
                    # Capital from an existing club, preferably of the same former district.
                    # Only the demo's own clubs give capital: a user's club of that code keeps its money.
                    mine = [x for x in sources if x["code"] in by_code]
                    candidates = [x for x in mine if x["district"] == spec["district"]] or mine
                    club.source_club = by_code[crng.choice(candidates)["code"]] if candidates else None
                if spec["code"] == specs[-1]["code"]:  # one "other" club dissolved, to show the status
                    club.dissolved_on = datetime.date(2024, 10, 15)
                    club.dissolution_reason = "Sáp nhập với CLB bản bên cạnh sau khi sáp nhập thôn"
                clubs.append(club)
            bulk_create_with_history(clubs, Club, default_user=actor)
            mark_demo(Club.objects.filter(code__in=[c.code for c in clubs]))
        by_code = {c.code: c for c in demo_only(Club.objects.filter(code__in=codes))}

        members, profiles = [], {}
        created = [by_code[s["code"]] for s in todo]
        for club in created:
            crng = random.Random(f"{seed}:{club.code}:members")
            members += _demo_members(crng, club, DISTRICT_ETHNICITIES[club.code.split("-")[1]], today, profiles)
        bulk_create_with_history(members, Member, batch_size=500, default_user=actor)
        saved = defaultdict_list(Member.objects.filter(club__in=created).order_by("code"), key=lambda m: m.club_id)

        seats, activities, meetings, attendance = [], [], [], []
        for club in created:
            crng = random.Random(f"{seed}:{club.code}:activities")
            club_members = saved[club.pk]
            founders = [m for m in club_members if m.joined_on == club.founded_on and m.left_on is None]
            for role, person in zip(["chair", "vice_chair", "secretary", "treasurer", "accountant"], founders[:5]):
                seats.append(BoardMembership(club=club, member=person, role=role, started_on=club.founded_on))
            start = max(club.founded_on, datetime.date(2025, 1, 1))
            end = min(today, club.dissolved_on - datetime.timedelta(days=1)) if club.dissolved_on else today
            skipped = set(crng.sample(range(1, 9), crng.choice([1, 2]))) if profiles[club.pk] == "areas" else set()
            month = datetime.date(start.year, start.month, 1)
            while month <= end:
                for area, texts in ACTIVITY_TEXTS.items():
                    if area in skipped or crng.random() > (0.9 if area in (1, 2) else 0.45):
                        continue
                    day = _day_in(crng, month, start, end)
                    if day is None:
                        continue
                    activities.append(Activity(club=club, date=day, area=area, content=crng.choice(texts),
                                               participants=crng.randint(15, max(16, len(club_members)))))
                meeting_day = _day_in(crng, month, start, end, fixed=crng.randint(5, 20))
                if meeting_day and (club.meeting_frequency == "monthly" or month.month % 3 in (1, 2)):
                    meetings.append(Meeting(club=club, held_on=meeting_day, notes="Sinh hoạt định kỳ tháng "
                                            f"{meeting_day.month:02d}/{meeting_day.year}: đo huyết áp, thu quỹ, "
                                            "xét cho vay."))
                    present = [m for m in club_members if m.is_active(meeting_day) and crng.random() < 0.82]
                    attendance.append(present)
                month = (month + datetime.timedelta(days=32)).replace(day=1)
        bulk_create_with_history(seats, BoardMembership, default_user=actor)
        # Same content on the same day and area is one activity (the natural key): keep the first.
        unique, seen = [], set()
        for a in activities:
            key = (a.club.pk, a.date, a.area, a.content)
            if key not in seen:
                seen.add(key)
                unique.append(a)
        bulk_create_with_history(unique, Activity, batch_size=1000, default_user=actor)
        bulk_create_with_history(meetings, Meeting, batch_size=500, default_user=actor)
        meeting_ids = dict(
            ((m.club_id, m.held_on), m.pk) for m in Meeting.objects.filter(club__in=created).only("club", "held_on")
        )
        insert_links(Meeting.attendees.through, ("meeting", "member"),
                     [(meeting_ids[(m.club_id, m.held_on)], p.pk) for m, present in zip(meetings, attendance)
                      for p in present])
    stdout.write(f"CLB mẫu: {len(created)} CLB, {len(members)} thành viên, {len(unique)} hoạt động, "
                 f"{len(meetings)} buổi sinh hoạt.")


def defaultdict_list(items, key):
    out = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out


def _day_in(rng, month, start, end, fixed=None):
    last = calendar.monthrange(month.year, month.month)[1]
    day = datetime.date(month.year, month.month, min(fixed or rng.randint(1, last), last))
    return day if start <= day <= end else None


def _demo_members(rng, club, ethnicities, today, profiles):
    """40–70 members; most clubs 60–70% women and older, some short of one check on purpose."""
    roll = rng.random()
    profile = ("size" if roll < 0.08 else "women" if roll < 0.16 else "older" if roll < 0.24
               else "areas" if roll < 0.36 else "ok")
    profiles[club.pk] = profile
    n = rng.randint(30, 38) if profile == "size" else rng.randint(42, 68)
    low, high = -(-6 * n // 10), 7 * n // 10
    # Clubs meant to pass stay a step inside 60–70% so a leaver or a late joiner does not tip them over.
    women = rng.randint(max(1, n // 2 - 3), low - 2) if profile == "women" else rng.randint(low + 1, high - 1)
    older = (rng.choice([rng.randint(n // 3, low - 2), min(n, high + 3)]) if profile == "older"
             else rng.randint(low + 1, high - 1))
    genders = ["female"] * women + ["male"] * (n - women)
    ages_older = set(rng.sample(range(n), older))
    main = rng.choice(ethnicities)
    out, seen = [], set()
    for i, gender in enumerate(genders):
        ethnicity = main if rng.random() < 0.7 else rng.choice(ethnicities)
        # Ages kept clear of 60 so a club's composition is the same at 31/12/2025 and today.
        age = rng.randint(62, 86) if i in ages_older else rng.randint(28, 57)
        birth_year = today.year - age
        name = _person(rng, ethnicity, gender)
        while (name, birth_year) in seen:  # the register refuses exact duplicates; so does the demo
            name = _person(rng, ethnicity, gender)
        seen.add((name, birth_year))
        birth_date = None
        if rng.random() < 0.4:
            birth_date = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        joined = club.founded_on
        if rng.random() < 0.12:  # some joined later
            span = ((club.dissolved_on or today) - club.founded_on).days
            joined = club.founded_on + datetime.timedelta(days=rng.randint(0, max(span - 1, 0)))
        household = rng.choices(["", "poor", "near_poor"], weights=[75, 15, 10])[0]
        out.append(Member(
            club=club, code=f"TV{i + 1:03d}", full_name=name, gender=gender,
            birth_year=birth_year, birth_date=birth_date, ethnicity=ethnicity, household=household,
            village=club.village, phone=f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.3 else "",
            is_homecare_volunteer=False, joined_on=joined,
        ))
    for member in rng.sample(out, 5):
        member.is_homecare_volunteer = True
    # A few people left the club; replacements keep the club's shape.
    for member in rng.sample(out, rng.randint(0, 3)):
        span = ((club.dissolved_on or today) - member.joined_on).days
        if span > 60:
            member.left_on = member.joined_on + datetime.timedelta(days=rng.randint(30, span - 1))
            member.leave_reason = rng.choice(["Chuyển nơi ở", "Ốm yếu, xin nghỉ", "Đi làm ăn xa"])
    return out
