"""Factories that keep related objects consistent: a member joins on or after its club's founding,
a board seat belongs to a member of the same club."""
import datetime

import factory

from clubs.areas import load_areas
from clubs.models import Activity, ActivityArea, Area, BoardMembership, Club, Member, Track

# Current communes used by default: one in each of the two persona districts.
COMMUNE_IN_A = "03388"  # Phường Đoàn Kết, former Thành phố Lai Châu (105)
COMMUNE_IN_B = "03390"  # Xã Bình Lư, former Huyện Tam Đường (106)


def ensure_areas():
    """Areas come from a data migration; transactional tests flush them, so reload when missing."""
    if not Area.objects.filter(level=Area.Level.PROVINCE).exists():
        load_areas(Area)


def recorder():
    """The person a test's service calls act as, when who acts is not what the test is about."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="nguoi.ghi", defaults={"first_name": "Người ghi sổ"})[0]


def commune(code):
    ensure_areas()
    return Area.objects.get(level=Area.Level.COMMUNE, code=code)


def district(code):
    ensure_areas()
    return Area.objects.get(level=Area.Level.DISTRICT, code=code)


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"CLB{n:04d}")
    name = factory.Sequence(lambda n: f"CLB liên thế hệ bản {n}")
    commune = factory.LazyFunction(lambda: commune(COMMUNE_IN_A))
    village = "Bản Mới"
    founded_on = datetime.date(2022, 3, 1)
    track = Track.NEW_BUDGET
    regulation_on = factory.LazyAttribute(lambda o: o.founded_on)


FEMALE_NAMES = ["Lò Thị Mai", "Nguyễn Thị Hoa", "Tẩn Mẩy Chăn", "Lường Thị Xuân", "Đào Thị Lan", "Giàng Thị Sua"]
FAMILY_NAMES = ["Lò", "Nguyễn", "Tẩn", "Lường", "Đào", "Giàng", "Vàng", "Lý"]
MALE_NAMES = ["Lò Văn Pọm", "Nguyễn Văn Hùng", "Tẩn Láo Lở", "Lường Văn Ún", "Đào Văn Minh", "Giàng A Páo"]


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    club = factory.SubFactory(ClubFactory)
    code = factory.Sequence(lambda n: f"TV{n:05d}")
    gender = Member.Gender.FEMALE
    # 48 different names in a row: a club built by add_members() never holds the same person twice
    # (clubs.rules refuses that on every path, the import included).
    full_name = factory.LazyAttributeSequence(
        lambda o, n: f"{FAMILY_NAMES[n % 8]} "
        + (FEMALE_NAMES if o.gender == Member.Gender.FEMALE else MALE_NAMES)[(n // 8) % 6].split(" ", 1)[1]
    )
    birth_year = 1955
    ethnicity = "Thái"
    joined_on = factory.LazyAttribute(lambda o: o.club.founded_on)


class BoardMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMembership

    member = factory.SubFactory(MemberFactory)
    club = factory.SelfAttribute("member.club")
    role = BoardMembership.Role.CHAIR
    started_on = factory.LazyAttribute(lambda o: o.member.joined_on)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    club = factory.SubFactory(ClubFactory)
    date = datetime.date(2025, 3, 10)
    area = ActivityArea.HEALTH
    content = factory.Sequence(lambda n: f"Đo huyết áp cho thành viên, lần {n}")
    participants = 35


def add_members(club, *, women, men, older_women=None, older_men=None, joined_on=None, on=datetime.date(2025, 12, 31)):
    """Give a club `women` + `men` members; older_* of them born 70 years before `on`, the rest 40."""
    older_women = women if older_women is None else older_women
    older_men = men if older_men is None else older_men
    members = []
    for gender, count, older in ((Member.Gender.FEMALE, women, older_women), (Member.Gender.MALE, men, older_men)):
        for i in range(count):
            members.append(
                MemberFactory(
                    club=club,
                    gender=gender,
                    birth_year=on.year - (70 if i < older else 40),
                    joined_on=joined_on or club.founded_on,
                )
            )
    return members
