"""Demo health sessions (seed_demo step, after funds): a few sessions in most demo clubs, some high
readings, and about one club in four with none, so the pages show both cases. Re-running adds nothing
to a club that already has a session."""
import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clubs.actors import system_user
from clubs.bulk import bulk_create_with_history
from clubs.demo import demo_only
from clubs.models import Club, Member

from .models import HealthCheck, HealthSession

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
