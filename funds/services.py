"""Writes to the funds: ledger entries, loans, repayments, collection sheets, rotations, reversals.

Every function locks the club rows it touches (SELECT … FOR UPDATE on PostgreSQL) before reading a
balance, so two people submitting at the same moment are serialised and cannot overdraw a fund
together. Nothing is edited or deleted: a correction is a reversing row dated the correction day.
"""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.fields import MAX_AMOUNT
from clubs.formatting import format_vnd
from clubs.rules import Errors
from clubs import rules as club_rules
from clubs import services as club_services
from clubs.models import Club, Member, Track

from . import ledger, rules
from .models import EntryKind, Fund, FundEntry, Loan, Repayment, Source

ERR_FUTURE = _("Ngày không được sau hôm nay.")
ERR_BEFORE_FOUNDING = _("Ngày không được trước ngày thành lập CLB (%(date)s).")
ERR_AFTER_DISSOLVED = _("CLB đã giải thể ngày %(date)s, không ghi sổ sau ngày đó.")
ERR_OVERDRAWN = _(
    "Quỹ %(fund)s sẽ bị âm vào cuối ngày %(date)s (số dư khi đó %(balance)s). Không thể ghi khoản này."
)
ERR_OVERDRAWN_SHORT = _("Quỹ %(fund)s cũng không đủ tiền cho khoản này vào ngày %(date)s.")
ERR_AMOUNT_POSITIVE = _("Số tiền phải lớn hơn 0.")
ERR_SOURCE_REQUIRED = _("Khoản thu phải ghi rõ nguồn.")
ERR_SOURCE_ROTATION = _("Tiền luân chuyển vốn được ghi bằng chức năng Luân chuyển vốn (ghi cả hai CLB).")
ERR_MEMBER_OTHER_CLUB = _("Thành viên này không thuộc CLB.")
ERR_MEMBER_NOT_ACTIVE = _("Thành viên không sinh hoạt tại CLB vào ngày giải ngân.")
ERR_DUE_NOT_AFTER = _("Ngày đến hạn phải sau ngày giải ngân.")
ERR_LOAN_CODE_TAKEN = _("Mã khoản vay %(code)s đã có trong CLB.")
ERR_VOUCHER_TAKEN = _("Số phiếu %(voucher)s đã có trong sổ quỹ này.")
ERR_BEFORE_DISBURSED = _("Ngày trả không được trước ngày giải ngân (%(date)s).")
ERR_REPAY_EXCEEDS = _("Tiền gốc trả vượt dư nợ gốc (dư nợ còn %(outstanding)s).")
ERR_REPAY_EMPTY = _("Nhập tiền gốc hoặc tiền lãi/phí.")
ERR_REPAY_NEGATIVE = _("Số tiền không được âm.")
ERR_LOAN_OTHER_CLUB = _("Khoản vay không thuộc CLB này.")
ERR_SHEET_EMPTY = _("Chưa nhập khoản thu nào trên phiếu thu nợ. Số màu xám chỉ là số đề xuất: bấm “Điền theo số "
                    "đề xuất” hoặc gõ số tiền từng người nộp.")
ERR_ALREADY_REVERSED = _("Bút toán này đã được đảo trước đây.")
ERR_IS_REVERSAL = _("Không đảo một bút toán đảo; hãy ghi bút toán mới.")
ERR_REVERSAL_BEFORE = _("Ngày đảo không được trước ngày của bút toán gốc (%(date)s).")
ERR_REASON_REQUIRED = _("Ghi lý do điều chỉnh.")
ERR_ROTATION_SAME_CLUB = _("CLB nhận vốn phải khác CLB chuyển vốn.")
ERR_ROTATION_TRACK = _("CLB nhận vốn phải thuộc nguồn thành lập “Mới - luân chuyển vốn”.")
ERR_ROTATION_OTHER_SOURCE = _("CLB %(club)s đã nhận vốn luân chuyển từ CLB khác (%(source)s).")
ERR_ROTATION_TARGET_REQUIRED = _("Chọn CLB nhận vốn hoặc nhập thông tin CLB mới.")
ERR_ROTATION_PAIR_MISSING = _("Không tìm thấy bút toán đối ứng của lần luân chuyển vốn này.")
ERR_OTHER_DISTRICT = _(
    "Bút toán này ghi vào sổ của cả CLB %(club)s, ngoài địa bàn của bạn; chỉ cán bộ tỉnh mới ghi hoặc đảo được."
)

VOUCHER_PREFIX = {EntryKind.IN: "PT", EntryKind.OUT: "PC"}


def _today():
    return timezone.localdate()


def lock_clubs(*clubs):
    """Serialise writers on these clubs' funds until the transaction ends (no-op on SQLite, which
    serialises writers anyway). Locked in pk order so two rotations cannot deadlock."""
    ids = sorted({c.pk for c in clubs})
    list(Club.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def out_of_reach(user, club_ids):
    """The ids among `club_ids` of clubs the user may not open (one query)."""
    ids = set(club_ids)
    return ids - set(Club.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _check_may_write_all(user, club, *others):
    """A write that touches several clubs' books (a rotation, its reversal) is for a user who may open
    every one of them: across former districts, the provincial officer's alone. The cash book hides
    the button this would refuse (out_of_reach)."""
    hidden = out_of_reach(user, {c.pk for c in (club, *others)})
    if hidden:
        code = next((c.code for c in (*others, club) if c.pk in hidden), club.code)
        raise ValidationError(ERR_OTHER_DISTRICT, code="other_district", params={"club": code})


def _check_date(club, on, field="date"):
    if on > _today():
        raise ValidationError({field: ValidationError(ERR_FUTURE, code="future")})
    errors = Errors()
    club_rules.within_club_life(errors, field, on=on, club=club, before=ERR_BEFORE_FOUNDING,
                                after=ERR_AFTER_DISSOLVED, before_code="before_founding")
    errors.raise_if_any()


def _check_not_overdrawn(club, fund, on, delta, field=NON_FIELD_ERRORS):
    if delta >= 0:
        return
    hit = ledger.first_negative_day(club, fund, on, delta)
    if hit:
        day, balance = hit
        raise ValidationError({field: ValidationError(
            ERR_OVERDRAWN, code="overdrawn",
            params={"fund": Fund(fund).label, "date": day.strftime("%d/%m/%Y"), "balance": format_vnd(balance)},
        )})


def next_voucher_no(club, fund, kind, on):
    """PT-2025-0001 (phiếu thu) / PC-2025-0001 (phiếu chi), numbered per club, fund and year.
    Callers hold the club lock, so two writers never take the same number."""
    prefix = f"{VOUCHER_PREFIX[kind]}-{on.year}-"
    taken = FundEntry.objects.filter(club=club, fund=fund, voucher_no__startswith=prefix).values_list(
        "voucher_no", flat=True
    )
    return _next_in_series(prefix, taken, width=4)


def next_loan_code(club, on):
    prefix = f"KV-{on.year}-"
    taken = Loan.objects.filter(club=club, code__startswith=prefix).values_list("code", flat=True)
    return _next_in_series(prefix, taken, width=3)


def _next_in_series(prefix, taken, *, width):
    """One past the highest number after `prefix`; hand-typed codes that are not numbers are skipped."""
    numbers = [int(v[len(prefix):]) for v in taken if v[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def _author(user):
    return user if user is not None and user.is_authenticated else None


def _save(obj, user):
    return club_services.save_checked(obj, user=user)


# ---------------------------------------------------------------- ledger entries


def _new_entry(*, club, fund, kind, date, amount, source, voucher_no, description, user,
               counterpart_club=None, reverses=None):
    entry = FundEntry(
        club=club, fund=fund, kind=kind, date=date, amount=amount,
        source=source or "", description=description or "",
        voucher_no=voucher_no or next_voucher_no(club, fund, kind, date),
        counterpart_club=counterpart_club, reverses=reverses,
        created_by=_author(user),
    )
    if voucher_no and FundEntry.objects.filter(club=club, fund=fund, voucher_no=voucher_no).exists():
        raise ValidationError({"voucher_no": ValidationError(
            ERR_VOUCHER_TAKEN, code="voucher_taken", params={"voucher": voucher_no}
        )})
    entry.full_clean()
    return entry


@transaction.atomic
def fund_entry_record(*, club, fund, kind, date, amount, source="", voucher_no=None, description="", user):
    """One Thu or Chi line in a fund's cash book."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": ValidationError(ERR_AMOUNT_POSITIVE, code="amount")})
    if kind == EntryKind.IN and not source:
        raise ValidationError({"source": ValidationError(ERR_SOURCE_REQUIRED, code="source_required")})
    if source == Source.ROTATION:
        raise ValidationError({"source": ValidationError(ERR_SOURCE_ROTATION, code="rotation")})
    if kind == EntryKind.OUT:
        source = ""
    lock_clubs(club)
    _check_date(club, date)
    entry = _new_entry(club=club, fund=fund, kind=kind, date=date, amount=amount, source=source,
                       voucher_no=voucher_no, description=description, user=user)
    _check_not_overdrawn(club, fund, date, -amount if kind == EntryKind.OUT else 0, field="amount")
    return _save(entry, user)


def _check_reversible(original, *, club, dated, on):
    """A ledger row or repayment may be reversed once, not be a reversal itself, and only on or
    after its own date (and within the club's life, never in the future)."""
    if original.reverses_id:
        raise ValidationError(ERR_IS_REVERSAL, code="is_reversal")
    if type(original).objects.filter(reverses=original).exists():
        raise ValidationError(ERR_ALREADY_REVERSED, code="already_reversed")
    if on < dated:
        raise ValidationError({"on": ValidationError(
            ERR_REVERSAL_BEFORE, code="reversal_before", params={"date": dated.strftime("%d/%m/%Y")}
        )})
    _check_date(club, on, field="on")


def _reversal_of(entry, *, on, reason, user):
    _check_reversible(entry, club=entry.club, dated=entry.date, on=on)
    kind = EntryKind.OUT if entry.kind == EntryKind.IN else EntryKind.IN
    reversal = _new_entry(
        club=entry.club, fund=entry.fund, kind=kind, date=on, amount=entry.amount,
        # Kept so the statement subtracts the reversal from the same source line.
        source=entry.source, voucher_no=None,
        description=f"Đảo phiếu {entry.voucher_no}: {reason}"[:300], user=user,
        counterpart_club=entry.counterpart_club, reverses=entry,
    )
    _check_not_overdrawn(entry.club, entry.fund, on, -entry.amount if kind == EntryKind.OUT else 0)
    return _save(reversal, user)


@transaction.atomic
def fund_entry_reverse(*, entry, on, reason, user):
    """Cancel a ledger line by a line of the opposite kind dated `on` (the correction day).
    A rotation line is cancelled on both clubs' books together."""
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError(ERR_REASON_REQUIRED, code="reason")})
    pair = None
    if entry.counterpart_club_id:
        _check_may_write_all(user, entry.club, entry.counterpart_club)
        lock_clubs(entry.club, entry.counterpart_club)
        pair = (
            FundEntry.objects.filter(
                club=entry.counterpart_club, counterpart_club=entry.club, fund=Fund.INCOME,
                amount=entry.amount, date=entry.date, reverses__isnull=True, reversed_by__isnull=True,
            )
            .exclude(kind=entry.kind)
            .order_by("pk")
            .first()
        )
    else:
        lock_clubs(entry.club)
    entry = FundEntry.objects.select_related("club").get(pk=entry.pk)
    # Checked before the pair, so a rotation already reversed says so rather than "pair missing".
    _check_reversible(entry, club=entry.club, dated=entry.date, on=on)
    if entry.counterpart_club_id and pair is None:
        raise ValidationError(ERR_ROTATION_PAIR_MISSING, code="pair_missing")
    # Receiver first: taking the money back out of the new club is what can overdraw.
    if pair is not None and pair.kind == EntryKind.IN:
        _reversal_of(pair, on=on, reason=reason, user=user)
        return _reversal_of(entry, on=on, reason=reason, user=user)
    reversal = _reversal_of(entry, on=on, reason=reason, user=user)
    if pair is not None:
        _reversal_of(pair, on=on, reason=reason, user=user)
    return reversal


# ---------------------------------------------------------------- loans and repayments


class SameDayLoans(ValidationError):
    """The member already borrowed that day; the user may confirm and disburse anyway."""

    def __init__(self, warning):
        super().__init__({"member": [warning]})


def _errors_of(exc):
    """A service's ValidationError as {field: [ValidationError]} (NON_FIELD_ERRORS for plain ones)."""
    if hasattr(exc, "error_dict"):
        return {field: list(errors) for field, errors in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: [ValidationError(m) for m in exc.messages]}


@transaction.atomic
def loan_disburse(*, club, member, amount, on, due_on, purpose="", rate=None, code=None, user,
                  confirm_same_day=False):
    """Lend income-fund cash to an active member of the club. Every problem of the loan is reported at
    once; the loan's size is checked against the club's limit before the fund's balance."""
    if amount is None or amount <= 0:
        raise ValidationError({"principal": ValidationError(ERR_AMOUNT_POSITIVE, code="amount")})
    lock_clubs(club)
    club = Club.objects.get(pk=club.pk)
    errors = Errors()
    try:
        _check_date(club, on, field="disbursed_on")
    except ValidationError as e:
        for field, found in _errors_of(e).items():
            errors.setdefault(field, []).extend(found)
    if member.club_id != club.pk:
        errors.add("member", ERR_MEMBER_OTHER_CLUB, "member_other_club")
    else:
        member = Member.objects.get(pk=member.pk)
        if not member.is_active(on):
            errors.add("member", ERR_MEMBER_NOT_ACTIVE, "member_not_active")
    if due_on is not None and due_on <= on:
        errors.add("due_on", ERR_DUE_NOT_AFTER, "due_not_after")
    if code and Loan.objects.filter(club=club, code=code).exists():
        errors.add("code", ERR_LOAN_CODE_TAKEN, "code_taken", code=code)
    max_loan, max_rate = rules.limits(club)
    rules.loan_terms(errors, principal=amount, rate=rate, max_loan=max_loan, max_rate=max_rate)
    if "principal" not in errors:
        try:
            _check_not_overdrawn(club, Fund.INCOME, on, -amount, field="principal")
        except ValidationError as e:
            for field, found in _errors_of(e).items():
                errors.setdefault(field, []).extend(found)
    else:
        # Over the limit and over the balance: both said, the limit first.
        hit = ledger.first_negative_day(club, Fund.INCOME, on, -min(amount, MAX_AMOUNT))
        if hit:
            day, balance = hit
            errors.add("principal", ERR_OVERDRAWN_SHORT, "overdrawn", fund=Fund(Fund.INCOME).label,
                       date=day.strftime("%d/%m/%Y"))
    errors.raise_if_any()
    if not confirm_same_day:
        count = Loan.objects.filter(club=club, member=member, disbursed_on=on).count()
        warning = rules.same_day_loans(name=member.full_name, date=on, count=count)
        if warning is not None:
            raise SameDayLoans(warning)
    loan = Loan(
        club=club, member=member, code=code or next_loan_code(club, on), disbursed_on=on,
        principal=amount, due_on=due_on, purpose=purpose or "", rate_percent_month=rate,
        created_by=_author(user),
    )
    loan.full_clean()
    return _save(loan, user)


def _check_principal_path(loan, on, principal):
    """Repaid principal may never exceed the loan's principal, on `on` or on any later day (a
    back-dated repayment is checked against the repayments already recorded after it)."""
    by_day = {}
    for paid_on, p in loan.repayments.values_list("paid_on", "principal"):
        by_day[paid_on] = by_day.get(paid_on, 0) + p
    repaid = sum(p for d, p in by_day.items() if d < on)
    headroom = loan.principal - repaid
    for day in sorted({on, *(d for d in by_day if d >= on)}):
        repaid += by_day.get(day, 0)
        headroom = min(headroom, loan.principal - repaid)
    if principal > headroom:
        raise ValidationError({"principal": ValidationError(
            ERR_REPAY_EXCEEDS, code="exceeds", params={"outstanding": format_vnd(max(headroom, 0))},
        )})


def _record_repayment(*, loan, on, principal, interest, user, note=""):
    principal, interest = principal or 0, interest or 0
    if principal < 0 or interest < 0:
        raise ValidationError({"principal": ValidationError(ERR_REPAY_NEGATIVE, code="negative")})
    if principal == 0 and interest == 0:
        raise ValidationError({"principal": ValidationError(ERR_REPAY_EMPTY, code="empty")})
    errors = Errors()

    def collect(check, *args, **kwargs):
        try:  # every problem of the repayment at once, each on its field
            check(*args, **kwargs)
        except ValidationError as e:
            for field, found in _errors_of(e).items():
                errors.setdefault(field, []).extend(found)

    collect(_check_date, loan.club, on, field="paid_on")
    if on < loan.disbursed_on:
        errors.add("paid_on", ERR_BEFORE_DISBURSED, "before_disbursed", date=loan.disbursed_on.strftime("%d/%m/%Y"))
    collect(_check_principal_path, loan, on, principal)
    rules.repayment_interest(errors, interest=interest, principal=loan.principal, max_rate=rules.limits(loan.club)[1],
                             disbursed_on=loan.disbursed_on, paid_on=on)
    errors.raise_if_any()
    repayment = Repayment(
        loan=loan, paid_on=on, principal=principal, interest=interest, note=note or "",
        created_by=_author(user),
    )
    repayment.full_clean()
    return _save(repayment, user)


@transaction.atomic
def repayment_record(*, loan, on, principal, interest=0, user):
    lock_clubs(loan.club)
    loan = Loan.objects.select_related("club").get(pk=loan.pk)
    return _record_repayment(loan=loan, on=on, principal=principal, interest=interest, user=user)


@transaction.atomic
def repayment_reverse(*, repayment, on, reason, user):
    """Cancel a repayment by a row with negated amounts dated `on`; the cash it brought in leaves
    the income fund that day, so the fund must still never go negative."""
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError(ERR_REASON_REQUIRED, code="reason")})
    loan = repayment.loan
    lock_clubs(loan.club)
    repayment = Repayment.objects.select_related("loan__club").get(pk=repayment.pk)
    loan = repayment.loan
    _check_reversible(repayment, club=loan.club, dated=repayment.paid_on, on=on)
    _check_not_overdrawn(loan.club, Fund.INCOME, on, -(repayment.principal + repayment.interest))
    reversal = Repayment(
        loan=loan, paid_on=on, principal=-repayment.principal, interest=-repayment.interest,
        reverses=repayment, note=f"Đảo khoản trả ngày {repayment.paid_on:%d/%m/%Y}: {reason}"[:300],
        created_by=_author(user),
    )
    reversal.full_clean()
    return _save(reversal, user)


@transaction.atomic
def collection_sheet_record(*, club, on, rows, user):
    """All repayments collected at one meeting, all or nothing.

    rows: iterable of {"loan": Loan, "principal": int|None, "interest": int|None}; rows with
    nothing entered are skipped. Raises ValidationError keyed by the sheet's field names, principal_<loan
    pk> and interest_<loan pk>, with every problem of every row (a date problem goes with the principal)."""
    lock_clubs(club)
    errors, saved = {}, []
    _check_date(club, on, field="on")
    for row in rows:
        loan, principal, interest = row["loan"], row.get("principal") or 0, row.get("interest") or 0
        if principal == 0 and interest == 0:
            continue
        if loan.club_id != club.pk:
            errors[f"principal_{loan.pk}"] = [ValidationError(ERR_LOAN_OTHER_CLUB, code="loan_other_club")]
            continue
        try:
            loan.club = club
            saved.append(_record_repayment(loan=loan, on=on, principal=principal, interest=interest, user=user))
        except ValidationError as e:
            for field, found in _errors_of(e).items():
                key = f"interest_{loan.pk}" if field == "interest" else f"principal_{loan.pk}"
                errors.setdefault(key, []).extend(found)
    if errors:
        # Raising inside the atomic block undoes the rows already written above.
        raise ValidationError(errors)
    if not saved:
        raise ValidationError(ERR_SHEET_EMPTY, code="empty")
    return saved


# ---------------------------------------------------------------- rotation


@transaction.atomic
def rotation_create(*, source_club, amount, on, new_club=None, club_data=None, user, description=""):
    """Move income-fund capital of `source_club` to found a new club (luân chuyển vốn).

    Either `new_club` (an existing club of the new_rotation track) or `club_data` (code, name,
    commune, village, decision_number, founded_on defaulting to `on`) for a club created here.
    Writes a Chi in the giver's income fund and a Thu (source: rotation) in the receiver's.
    Returns (receiver, giver_entry, receiver_entry)."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": ValidationError(ERR_AMOUNT_POSITIVE, code="amount")})
    if new_club is None and not club_data:
        raise ValidationError(ERR_ROTATION_TARGET_REQUIRED, code="target_required")
    if new_club is not None:
        _check_may_write_all(user, source_club, new_club)
        lock_clubs(source_club, new_club)
        new_club = Club.objects.get(pk=new_club.pk)
        if new_club.pk == source_club.pk:
            raise ValidationError({"new_club": ValidationError(ERR_ROTATION_SAME_CLUB, code="same_club")})
        if new_club.track != Track.NEW_ROTATION:
            raise ValidationError({"new_club": ValidationError(ERR_ROTATION_TRACK, code="track")})
        if new_club.source_club_id and new_club.source_club_id != source_club.pk:
            raise ValidationError({"new_club": ValidationError(
                ERR_ROTATION_OTHER_SOURCE, code="other_source",
                params={"club": new_club.code, "source": new_club.source_club.code},
            )})
    else:
        lock_clubs(source_club)
    _check_date(source_club, on)
    if new_club is None:
        # Through the club service, so every rule of a new club (code, commune, dates, source) applies.
        new_club = club_services.club_create(
            user=user, track=Track.NEW_ROTATION, source_club=source_club, **{"founded_on": on, **club_data})
    elif new_club.source_club_id is None:
        new_club = club_services.club_update(user=user, club=new_club, source_club=source_club)
    _check_date(new_club, on)
    text = description or f"Luân chuyển vốn {source_club.code} → {new_club.code}"
    out = _new_entry(club=source_club, fund=Fund.INCOME, kind=EntryKind.OUT, date=on, amount=amount, source="",
                     voucher_no=None, description=text, user=user, counterpart_club=new_club)
    _check_not_overdrawn(source_club, Fund.INCOME, on, -amount, field="amount")
    _save(out, user)
    into = _new_entry(club=new_club, fund=Fund.INCOME, kind=EntryKind.IN, date=on, amount=amount,
                      source=Source.ROTATION, voucher_no=None, description=text, user=user,
                      counterpart_club=source_club)
    _save(into, user)
    return new_club, out, into
