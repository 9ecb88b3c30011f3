"""Demo health sessions and home care (seed_demo steps, after funds): a few sessions in most demo clubs,
some high readings, and about one club in four with none; care recipients with their volunteers and
visits over recent months in most clubs, some not visited this month, some clubs with no home care, so
the pages show every case. Re-running adds nothing to a club that already has a session (a care
period)."""
import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clubs import rules as club_rules
from clubs.activity_services import month_bounds
from clubs.actors import system_user
from clubs.bulk import bulk_create_with_history
from clubs.demo import demo_only
from clubs.models import OLDER_AGE, Club, Member

from .bulk import record_volunteers
from .models import Care, HealthCheck, HealthSession, Help, Visit
from .reads import month_starts

ORGANISERS = ["Trạm y tế xã", "Y tá thôn bản", "Ban chủ nhiệm CLB", "Trung tâm y tế huyện"]


def seed_health(*, seed, stdout):
    today = timezone.localdate()
    clubs = [c for c in demo_only(Club.objects.all()).exclude(
        pk__in=HealthSession.objects.values("club_id")).order_by("code")]
    members = defaultdict(list)
    for m in Member.objects.filter(club__in=[c.pk for c in clubs]).only(
            "pk", "club_id", "joined_on", "left_on").order_by("club_id", "pk"):
        members[m.club_id].append(m)
    sessions, planned = [], []
    for club in clubs:
        rng = random.Random(f"{seed}:health:{club.code}")
        if rng.random() < 0.25:
            continue
        last_day = min(today, club.dissolved_on or today)
        for back in sorted(rng.sample(range(1, 12), rng.randint(2, 4)), reverse=True):
            on = last_day - datetime.timedelta(days=30 * back + rng.randint(0, 20))
            if on < club.founded_on:
                continue
            kind = rng.choice(HealthSession.Kind.values)
            session = HealthSession(club=club, date=on, kind=kind, organiser=rng.choice(ORGANISERS))
            present = [m for m in members[club.pk] if m.joined_on <= on and (m.left_on is None or m.left_on > on)]
            checked = [m for m in present if rng.random() < 0.6]
            if not checked:
                continue  # the entry page records no session without a member checked (SESSION_NO_CHECKS)
            sessions.append(session)
            planned.append((session, checked, rng))
    actor = system_user()
    with transaction.atomic():
        bulk_create_with_history(sessions, HealthSession, batch_size=2000, default_user=actor)
        checks = []
        for session, people, rng in planned:
            for m in people:
                high = rng.random() < 0.15
                systolic = rng.randint(140, 175) if high else rng.randint(100, 135)
                diastolic = rng.randint(85, 100) if high else rng.randint(60, 85)
                weight = Decimal(rng.randint(380, 680)) / 10 if rng.random() < 0.8 else None
                checks.append(HealthCheck(session_id=session.pk, member_id=m.pk, systolic=systolic,
                                          diastolic=min(diastolic, systolic - 20), weight=weight))
        bulk_create_with_history(checks, HealthCheck, batch_size=2000, default_user=actor)
    stdout.write(f"Sức khỏe: {len(sessions)} buổi khám/đo ở {len({s.club_id for s in sessions})} CLB, "
                 f"{len(checks)} lượt đo.\n")


def _active(member, on):
    return club_rules.member_on(joined_on=member.joined_on, left_on=member.left_on, on=on)


def seed_home_care(*, seed, stdout):
    """Recipients are older members, their volunteers the club's flagged members (clubs.demo flags five
    in each club); written in bulk, every row within the rules of care.home_services: periods inside the
    club's life and the recipient's membership, visits inside a period by a volunteer active that day."""
    today = timezone.localdate()
    clubs = [c for c in demo_only(Club.objects.active(on=today)).exclude(
        pk__in=Care.objects.values("member__club_id")).order_by("code")]
    members = defaultdict(list)
    for m in Member.objects.filter(club__in=[c.pk for c in clubs]).only(
            "pk", "club_id", "joined_on", "left_on", "birth_year", "birth_date", "is_homecare_volunteer").order_by("club_id", "pk"):
        members[m.club_id].append(m)
    cares, planned = [], []
    for club in clubs:
        rng = random.Random(f"{seed}:home:{club.code}")
        if rng.random() < 0.3:
            continue
        people = [m for m in members[club.pk] if _active(m, today)]
        volunteers = [m for m in people if m.is_homecare_volunteer]
        older = [m for m in people if not m.is_homecare_volunteer and m.age_on(today) >= OLDER_AGE]
        if not volunteers or not older:
            continue
        for member in rng.sample(older, min(len(older), rng.randint(2, 6))):
            earliest = max(club.founded_on, member.joined_on,
                           *(v.joined_on for v in volunteers))
            started = max(earliest, today - datetime.timedelta(days=rng.randint(60, 330)))
            if started >= today:
                continue
            ended = None
            if rng.random() < 0.2 and (today - started).days > 45:
                ended = started + datetime.timedelta(days=rng.randint(30, (today - started).days - 1))
            care = Care(member=member, started_on=started, ended_on=ended,
                        reason=rng.choices(Care.Reason.values, weights=[50, 20, 20, 5, 5])[0])
            cares.append(care)
            planned.append((care, rng.sample(volunteers, min(len(volunteers), rng.randint(1, 2))), rng))
    actor = system_user()
    visits = []
    with transaction.atomic():
        bulk_create_with_history(cares, Care, batch_size=2000, default_user=actor)
        Care.volunteers.through.objects.bulk_create(
            [Care.volunteers.through(care_id=care.pk, member_id=v.pk) for care, assigned, _rng in planned
             for v in assigned], batch_size=2000)
        record_volunteers([care.pk for care in cares])
        for care, assigned, rng in planned:
            last = min(today, care.ended_on - datetime.timedelta(days=1)) if care.ended_on else today
            # About one recipient in three goes without a visit this month: the page's flag shows.
            skip_this_month = care.ended_on is None and rng.random() < 0.35
            for month in month_starts(care.started_on, last):
                if month == today.replace(day=1) and skip_this_month:
                    continue
                if month != today.replace(day=1) and rng.random() < 0.1:
                    continue
                first = max(month, care.started_on)
                end = min(last, month_bounds(month.year, month.month)[1])
                taken = set()
                for _ in range(rng.randint(1, 4)):
                    on = first + datetime.timedelta(days=rng.randint(0, (end - first).days))
                    volunteer = rng.choice(assigned)
                    if (volunteer.pk, on) in taken or not _active(volunteer, on):
                        continue
                    taken.add((volunteer.pk, on))
                    kinds = Help.ordered(rng.sample(Help.values, rng.randint(1, 3)))
                    visits.append(Visit(care_id=care.pk, volunteer_id=volunteer.pk, date=on, kinds=kinds,
                                        minutes=rng.choice([None, 30, 45, 60, 90, 120])))
        bulk_create_with_history(visits, Visit, batch_size=2000, default_user=actor)
    stdout.write(f"Chăm sóc tại nhà: {len(cares)} người được chăm sóc ở {len({c.member.club_id for c in cares})} CLB, "
                 f"{len(visits)} lần thăm.\n")
