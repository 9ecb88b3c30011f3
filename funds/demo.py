"""Demo funds for `seed_demo`: capital from the plan's sources, member fees and expenses, loans of
3–10 million đồng for 6–12 months with monthly repayments (some overdue), and the rotations that
founded the `new_rotation` clubs.

Each club is simulated month by month in Python, keeping its cash so that no fund is ever negative
at the end of a day, then written with bulk inserts (with history rows) for speed. Idempotent: only
clubs without any fund entry or loan are seeded; random.Random(seed) makes every run the same. Only clubs that seed_demo created are seeded
(clubs.demo.demo_only): a club someone entered by hand never receives demo money.
"""
import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from clubs.bulk import bulk_create_with_history

from clubs.demo import demo_only
from clubs.actors import system_user
from clubs.models import Club, Member, Track

from . import ledger
from .services import VOUCHER_PREFIX
from .models import EntryKind, Fund, FundEntry, Loan, Repayment, Source

MILLION = 1_000_000
LENDING_FROM = datetime.date(2023, 1, 1)
PURPOSES = ["Chăn nuôi lợn", "Chăn nuôi gà", "Nuôi bò sinh sản", "Trồng chè", "Trồng ngô", "Trồng rau",
            "Buôn bán nhỏ", "Nuôi cá", "Trồng thảo quả", "Nuôi dê"]
EXPENSES = ["Thăm hỏi thành viên ốm", "Khám sức khỏe định kỳ", "Tổ chức văn nghệ", "Mua thuốc tủ thuốc chung",
            "Mừng thọ người cao tuổi", "Hỗ trợ thành viên khó khăn", "Văn phòng phẩm, sổ sách"]


def _add_months(day, months, dom=None):
    y, m = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + y, m + 1, min(dom or day.day, 28))


class _Book:
    """One club's rows while it is being simulated."""

    def __init__(self, club, rng):
        self.club, self.rng = club, rng
        self.entries, self.loans, self.repayments = [], [], []
        self.cash = {Fund.INCOME: 0, Fund.ACTIVITY: 0}
        self.counters = defaultdict(int)
        self.loan_counter = defaultdict(int)

    def entry(self, fund, kind, date, amount, source="", description="", counterpart=None):
        if amount <= 0:
            return None
        key = (fund, kind, date.year)
        self.counters[key] += 1
        e = FundEntry(
            club=self.club, fund=fund, kind=kind, date=date, amount=amount, source=source,
            description=description, counterpart_club=counterpart,
            voucher_no=f"{VOUCHER_PREFIX[kind]}-{date.year}-{self.counters[key]:04d}",
        )
        self.entries.append(e)
        self.cash[fund] += amount if kind == EntryKind.IN else -amount
        return e


def _capital_plan(club, rng, rotation_in, minimum=0):
    """[(source, amount, description)] of the income fund's capital, 20–150 million in total
    (more when the club must later give capital away to found other clubs)."""
    # Most clubs hold 80–130 million; a few are small (20–50) or large (up to 150).
    total = max(int(rng.triangular(20, 150, 115)) // 5 * 5 * MILLION, minimum)
    if club.track == Track.EXISTING:
        province = max(25 * MILLION, total * rng.choice([6, 7, 8]) // 10 // MILLION * MILLION)
        rest = max(total - province, 0)
        return [(Source.PROVINCE_BUDGET, province, "Vốn ban đầu – ngân sách tỉnh 2017-2020"),
                (Source.MEMBERS, rest // 2, "Thành viên góp vốn"), (Source.SOCIETY, rest - rest // 2, "Xã hội hóa")]
    if club.track == Track.NEW_BUDGET:
        local = rng.choice([0, 5, 10]) * MILLION
        return [(Source.PROVINCE_BUDGET, max(total - local, 20 * MILLION), "Hỗ trợ thành lập CLB – ngân sách tỉnh"),
                (Source.LOCAL_BUDGET, local, "Hỗ trợ của xã")]
    if club.track == Track.NEW_ROTATION:
        members = rng.choice([2, 3, 5]) * MILLION
        if rotation_in:
            return [(Source.MEMBERS, members, "Thành viên góp vốn")]
        return [(Source.LOCAL_BUDGET, max(total - members, 15 * MILLION), "Hỗ trợ của xã"),
                (Source.MEMBERS, members, "Thành viên góp vốn")]
    donor = rng.choice([Source.SOCIETY, Source.INTERNATIONAL])
    return [(donor, total, "Tài trợ vốn ban đầu")]


def _simulate(book, members, *, today, rotation_in, rotations_out, rng):
    """Write one club's history into `book`. rotation_in: (giver, amount) or None; rotations_out:
    [(receiver, date, amount)] this club must be able to pay when the day comes."""
    club = book.club
    end = min(today, club.dissolved_on) if club.dissolved_on else today
    meeting_dom = rng.randint(5, 25)
    start = club.founded_on
    if rotation_in:
        giver, amount = rotation_in
        book.entry(Fund.INCOME, EntryKind.IN, start, amount, Source.ROTATION,
                   f"Nhận vốn luân chuyển từ {giver.code}", counterpart=giver)
    promised = sum(r[2] for r in rotations_out)
    minimum = promised + 20 * MILLION if promised else 0
    for source, amount, text in _capital_plan(club, rng, rotation_in, minimum):
        book.entry(Fund.INCOME, EntryKind.IN, start, amount, source, text)
    book.entry(Fund.ACTIVITY, EntryKind.IN, start, len(members) * 20_000, Source.MEMBERS, "Thành viên đóng góp ban đầu")

    rate = rng.choice([None, Decimal("0.50"), Decimal("0.50"), Decimal("0.60"), Decimal("0.80")])
    share = rng.choice([6, 6, 7, 7, 8, 9]) / 10 if rng.random() < 0.88 else rng.choice([3, 4]) / 10
    pool = rng.sample(members, k=max(1, int(len(members) * share))) if members else []
    default_rate = rng.choice([0.04, 0.08, 0.12])
    busy = {}  # member pk -> loan state while borrowing, or the date they may borrow again
    last_loan = {}
    open_loans = []
    pending_out = sorted(rotations_out, key=lambda r: r[1])
    interest_year = defaultdict(int)

    month = 1
    while True:
        day = _add_months(start.replace(day=1), month, meeting_dom)
        if day > end:
            day = None
        horizon = day or end
        # Rotations dated between meetings are paid before anything else that month.
        while pending_out and pending_out[0][1] <= horizon:
            receiver, r_day, amount = pending_out.pop(0)
            book.entry(Fund.INCOME, EntryKind.OUT, r_day, amount, "", f"Luân chuyển vốn thành lập {receiver.code}",
                       counterpart=receiver)
        if day is None:
            break
        # 1. Repayments collected at the meeting.
        for st in list(open_loans):
            loan = st["loan"]
            if day <= loan.disbursed_on:
                continue
            st["n"] += 1
            if st["stop_after"] is not None and st["n"] > st["stop_after"]:
                if st["late_payoff"] and day >= st["late_payoff"]:
                    principal = st["left"]
                else:
                    continue
            elif day >= loan.due_on or st["n"] >= st["term"]:
                principal = st["left"]
            else:
                principal = min(st["left"], loan.principal // st["term"] // 1000 * 1000)
            interest = 0
            if loan.rate_percent_month:
                interest = int(st["left"] * loan.rate_percent_month) // 100 // 1000 * 1000
            if principal == 0 and interest == 0:
                continue
            book.repayments.append(Repayment(loan=loan, paid_on=day, principal=principal, interest=interest))
            book.cash[Fund.INCOME] += principal + interest
            interest_year[day.year] += interest
            st["left"] -= principal
            if st["left"] == 0:
                open_loans.remove(st)
                busy[loan.member_id] = _add_months(day, rng.choice([0, 1, 2, 3]))
        # 2. New loans, as far as cash allows, keeping what is promised to rotations.
        if day >= LENDING_FROM and day >= _add_months(start, 1):
            reserve = sum(r[2] for r in pending_out)
            eligible = [m for m in pool if m.is_active(day) and not isinstance(busy.get(m.pk), dict)
                        and (busy.get(m.pk) is None or busy[m.pk] <= day)]
            # Clubs let those who have waited longest borrow first, so the fund reaches many members.
            rng.shuffle(eligible)
            eligible.sort(key=lambda m: last_loan.get(m.pk, datetime.date.min))
            first_round = not book.loans
            for m in eligible[: rng.randint(8, 15) if first_round else rng.randint(2, 8)]:
                amount = rng.choice([3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10]) * MILLION + rng.choice([0, 0, 500_000])
                amount = min(amount, 10 * MILLION)
                if book.cash[Fund.INCOME] - amount < reserve:
                    break
                term = rng.choice([6, 6, 9, 12, 12])
                book.loan_counter[day.year] += 1
                loan = Loan(
                    club=club, member_id=m.pk, code=f"KV-{day.year}-{book.loan_counter[day.year]:03d}",
                    disbursed_on=day, principal=amount, due_on=_add_months(day, term), purpose=rng.choice(PURPOSES),
                    rate_percent_month=rate,
                )
                book.loans.append(loan)
                book.cash[Fund.INCOME] -= amount
                defaulted = rng.random() < default_rate
                st = {"loan": loan, "left": amount, "n": 0, "term": term,
                      "stop_after": rng.randint(1, term - 1) if defaulted else None,
                      "late_payoff": (_add_months(loan.due_on, rng.randint(2, 8)) if defaulted and rng.random() < 0.4
                                      else None)}
                open_loans.append(st)
                busy[m.pk] = st
                last_loan[m.pk] = day
        # 3. Activity fund: fees each quarter, expenses from what is there.
        if day.month in (3, 6, 9, 12):
            active = sum(1 for m in members if m.is_active(day))
            book.entry(Fund.ACTIVITY, EntryKind.IN, day, active * rng.choice([2000, 3000, 5000]) * 3, Source.MEMBERS,
                       f"Thu hội phí quý {(day.month - 1) // 3 + 1}/{day.year}")
            spend = book.cash[Fund.ACTIVITY] * rng.randint(30, 90) // 100 // 1000 * 1000
            book.entry(Fund.ACTIVITY, EntryKind.OUT, day, spend, "", rng.choice(EXPENSES))
            if rng.random() < 0.15:
                book.entry(Fund.ACTIVITY, EntryKind.IN, day, rng.randrange(5, 31) * 100_000, Source.SOCIETY,
                           "Sổ Tấm lòng vàng: ủng hộ của nhà hảo tâm")
        # Part of a year's interest moves to the activity fund at the December meeting.
        if day.month == 12 and interest_year[day.year]:
            move = min(interest_year[day.year] * 3 // 10 // 1000 * 1000,
                       book.cash[Fund.INCOME] - sum(r[2] for r in pending_out))
            if move > 0:
                book.entry(Fund.INCOME, EntryKind.OUT, day, move, "", "Chuyển một phần lãi sang quỹ hoạt động")
                book.entry(Fund.ACTIVITY, EntryKind.IN, day, move, Source.LOAN_INTEREST,
                           "Nhận lãi cho vay từ quỹ tăng thu nhập")
        month += 1
    return book


def seed_funds(*, seed, stdout):
    today = timezone.localdate()
    # Only the demo's own clubs, and only those nobody has entered money into yet.
    demo_clubs = demo_only(Club.objects.all())
    done = (set(FundEntry.objects.filter(club__in=demo_clubs).values_list("club_id", flat=True))
            | set(Loan.objects.filter(club__in=demo_clubs).values_list("club_id", flat=True)))
    demo_pks = set(demo_clubs.values_list("pk", flat=True))
    clubs = [c for c in demo_clubs.select_related("source_club").order_by("founded_on", "code") if c.pk not in done]
    if not clubs:
        stdout.write("Quỹ: không có CLB mới cần tạo dữ liệu.\n")
        return
    members = defaultdict(list)
    for m in (Member.objects.filter(club__in=[c.pk for c in clubs]).only("pk", "club_id", "code", "joined_on", "left_on")
              .order_by("club_id", "code")):
        members[m.club_id].append(m)
    ids = {c.pk for c in clubs}

    # Who gives what to whom: decided first so each giver keeps the cash it promised.
    rotation_in, rotations_out, external_out = {}, defaultdict(list), []
    for club in clubs:
        giver = club.source_club
        if (club.track != Track.NEW_ROTATION or giver is None or giver.pk not in demo_pks
                or giver.founded_on >= club.founded_on):
            continue
        if giver.dissolved_on and giver.dissolved_on < club.founded_on:
            continue
        amount = random.Random(f"{seed}:rotation:{club.code}").randrange(25, 51, 5) * MILLION
        if giver.pk in ids:
            rotation_in[club.pk] = (giver, amount)
            rotations_out[giver.pk].append((club, club.founded_on, amount))
        elif giver.pk not in {g.pk for g, _r, _a in external_out} and (
            ledger.first_negative_day(giver, Fund.INCOME, club.founded_on, -amount) is None
        ):
            rotation_in[club.pk] = (giver, amount)
            external_out.append((giver, club, amount))

    entries, loans, repayments = [], [], []
    for club in clubs:
        # One generator per club: a club's data do not depend on which other clubs are seeded with it.
        rng = random.Random(f"{seed}:{club.code}")
        book = _simulate(_Book(club, rng), members[club.pk], today=today, rotation_in=rotation_in.get(club.pk),
                         rotations_out=rotations_out.get(club.pk, []), rng=rng)
        entries += book.entries
        loans += book.loans
        repayments += book.repayments
    actor = system_user()
    with transaction.atomic():
        for giver, receiver, amount in external_out:
            entries.append(FundEntry(
                club=giver, fund=Fund.INCOME, kind=EntryKind.OUT, date=receiver.founded_on, amount=amount,
                voucher_no=f"LC-{receiver.founded_on.year}-{receiver.code}"[:30],
                description=f"Luân chuyển vốn thành lập {receiver.code}", counterpart_club=receiver,
            ))
        bulk_create_with_history(entries, FundEntry, batch_size=2000, default_user=actor)
        bulk_create_with_history(loans, Loan, batch_size=2000, default_user=actor)
        for r in repayments:
            r.loan_id = r.loan.pk
        bulk_create_with_history(repayments, Repayment, batch_size=2000, default_user=actor)
    stdout.write(
        f"Quỹ: {len(clubs)} CLB, {len(entries)} phiếu thu/chi, {len(loans)} khoản vay, "
        f"{len(repayments)} lần trả nợ, {len(rotation_in)} lần luân chuyển vốn.\n"
    )
