"""`python manage.py benchmark` section: importing a generated 10,000-member workbook.

Everything runs inside a transaction that is rolled back, so the benchmark leaves the database as it was.
"""
import datetime
import hashlib
import io
import time
import tracemalloc
import zipfile

import tablib
from django.conf import settings
from django.db import transaction
from simple_history.utils import get_history_model_for_model

from clubs.models import Area, Member

from workbook.importer import import_workbook
from workbook.resources import MemberResource
from workbook.spec import MEMBERS
from workbook.xlsx import commune_label, marked_copy, new_workbook, to_bytes

PREFIX = "BENCH-"
BAD_BYTES = 20 * 1024 * 1024  # the upload limit: the largest file of bad rows anyone can send


class _Rollback(Exception):
    pass


def generate(members=10_000, per_club=40, seed_date=datetime.date(2023, 1, 10)):
    """Rows of all six sheets: per club 40 members, loans to half of them with two repayments each,
    an opening entry in each fund, and activities in all 8 areas twice a year."""
    commune = Area.objects.communes().order_by("code").first()
    rows = {key: [] for key in ("clubs", "members", "loans", "repayments", "entries", "activities")}
    clubs = max(1, members // per_club)
    n = 0
    for c in range(clubs):
        code = f"{PREFIX}{c:04d}"
        rows["clubs"].append([code, f"CLB thử nghiệm {c}", commune_label(commune), "Bản Thử", seed_date,
                              "Mới - ngân sách", "", seed_date, None, ""])
        rows["entries"].append([code, "PT-TTN-1", "Tăng thu nhập", seed_date, "Thu", "Ngân sách tỉnh", 200_000_000, "Vốn ban đầu"])
        rows["entries"].append([code, "PT-HD-1", "Hoạt động", seed_date, "Thu", "Thành viên đóng góp", 5_000_000, "Đóng góp"])
        for year in (2024, 2025):
            for area in range(1, 9):
                for half in (3, 9):
                    rows["activities"].append([code, datetime.date(year, half, area), area, f"Hoạt động mảng {area}", 30])
        for m in range(per_club):
            if n >= members:
                break
            n += 1
            woman = m % 10 < 6
            birth = 1950 + (m % 40) if m % 10 < 7 else 1975 + m % 20
            member_code = f"TV{m:03d}"
            rows["members"].append([code, member_code, ("Lò Thị " if woman else "Lò Văn ") + f"Số {m}",
                                    "Nữ" if woman else "Nam", birth, None, "Thái", "Hộ nghèo" if m % 7 == 0 else "",
                                    seed_date, None, "", "Bản Thử", "Có" if m % 10 == 0 else "", ""])
            if m % 2 == 0:
                loan = f"KV{m:03d}"
                rows["loans"].append([loan, code, member_code, datetime.date(2024, 2, 1), 5_000_000,
                                      datetime.date(2025, 2, 1), "Chăn nuôi"])
                rows["repayments"].append([code, loan, datetime.date(2024, 8, 1), 2_500_000, 150_000])
                rows["repayments"].append([code, loan, datetime.date(2025, 1, 15), 2_500_000, 150_000])
    return rows


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _peak(fn):
    """(value, peak MiB of Python allocations while fn ran). tracemalloc slows the run: time it apart."""
    tracemalloc.start()
    try:
        value = fn()
        return value, tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def bad_rows(n):
    """n member rows each refused three times (unknown club, sex, birth year), with a unique name so the
    file does not compress to nothing: the worst honest case of a large upload full of mistakes."""
    return [[f"KHONG-CO-{i % 97}", f"TV{i:07d}", f"Người thử số {i} " + hashlib.sha256(str(i).encode()).hexdigest(),
             "?", 58, None, "Thái", "", "01/03/2023", None] for i in range(n)]


def _unpacked(data):
    return sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())


def bad_workbook(communes, scale=1.0):
    """A workbook of bad member rows just inside both upload limits (file size and unpacked size);
    scale < 1 shrinks both limits, for the test that runs this section on a small dataset."""
    limit = int(settings.WORKBOOK_MAX_UPLOAD_BYTES * scale)
    unpacked_limit = int(settings.WORKBOOK_MAX_UNPACKED_BYTES * scale)
    sample = min(5_000, max(100, int(5_000 * scale)))
    data = to_bytes(new_workbook({"members": bad_rows(sample)}, communes=communes))
    n = int(sample * 0.97 * min(limit / len(data), unpacked_limit / _unpacked(data)))
    data = to_bytes(new_workbook({"members": bad_rows(n)}, communes=communes))
    while len(data) > limit or _unpacked(data) > unpacked_limit:
        n = int(n * 0.95)
        data = to_bytes(new_workbook({"members": bad_rows(n)}, communes=communes))
    return data, n


def run_bad(communes, scale=1.0):
    """Preview and marked copy of the largest file of bad rows: time, then peak memory on a second run."""
    data, n = bad_workbook(communes, scale)
    out = {"bad_rows": n, "bad_bytes": len(data), "bad_unpacked": _unpacked(data)}
    result, out["t_bad_preview"] = _timed(lambda: import_workbook(data, user=None, commit=False))
    out["bad_problems"] = result.problem_count
    # The error file's view validates again, noting where every problem lies, then copies the upload.
    marked, out["t_bad_marked"] = _timed(
        lambda: marked_copy(data, import_workbook(data, user=None, commit=False, marks=True).marks))
    out["bad_marked_bytes"] = len(marked)
    del result, marked
    _, out["mem_bad_preview"] = _peak(lambda: import_workbook(data, user=None, commit=False))
    _, out["mem_bad_both"] = _peak(
        lambda: marked_copy(data, import_workbook(data, user=None, commit=False, marks=True).marks))
    return out


def _history_rows():
    return sum(get_history_model_for_model(m).objects.count() for m in (Member,))


def run(members=10_000):
    rows, t_generate = _timed(lambda: generate(members))
    communes = list(Area.objects.communes().order_by("code"))
    data, t_build = _timed(lambda: to_bytes(new_workbook(rows, communes=communes)))
    out = {"members": len(rows["members"]), "rows": sum(len(r) for r in rows.values()), "bytes": len(data),
           "counts": {k: len(v) for k, v in rows.items()}, "t_generate": t_generate + t_build}
    try:
        with transaction.atomic():
            history_before = _history_rows()
            result, out["t_import"] = _timed(lambda: import_workbook(data, user=None, commit=True, confirm_duplicates=True))
            assert result.saved, result.problems[:5]
            out["member_history"] = _history_rows() - history_before
            again, out["t_reimport"] = _timed(lambda: import_workbook(data, user=None, commit=True, confirm_duplicates=True))
            assert again.saved and again.changes == 0
            raise _Rollback
    except _Rollback:
        pass
    try:
        with transaction.atomic():
            result, out["mem_import"] = _peak(lambda: import_workbook(data, user=None, commit=True, confirm_duplicates=True))
            assert result.saved
            raise _Rollback
    except _Rollback:
        pass
    out.update(run_bad(communes, scale=min(1.0, members / 10_000)))
    # Baseline: the same members sheet through a plain django-import-export resource, row by row.
    only_clubs = to_bytes(new_workbook({"clubs": rows["clubs"]}, communes=communes))
    only_members = to_bytes(new_workbook({"members": rows["members"]}, communes=communes))
    dataset = tablib.Dataset(headers=[c.header for c in MEMBERS.columns])
    for r in rows["members"]:
        dataset.append(r)
    try:
        with transaction.atomic():
            assert import_workbook(only_clubs, user=None, commit=True).saved  # noqa: S101  a benchmark's sanity check, not app logic
            outcome, out["t_baseline"] = _timed(
                lambda: MemberResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=False)
            )
            out["baseline_new"] = outcome.totals.get("new", 0)
            raise _Rollback
    except _Rollback:
        pass
    # Like for like: the bulk importer on the same members sheet alone.
    try:
        with transaction.atomic():
            assert import_workbook(only_clubs, user=None, commit=True).saved
            result, out["t_members"] = _timed(lambda: import_workbook(only_members, user=None, commit=True, confirm_duplicates=True))
            assert result.saved
            raise _Rollback
    except _Rollback:
        pass
    return out


def section(*, stdout=None, members=10_000):
    r = run(members)
    if stdout is not None:
        stdout.write(f"workbook: {r['members']} members imported in {r['t_import']:.1f} s")
    ratio = r["t_baseline"] / r["t_import"] if r["t_import"] else 0
    members_ratio = r["t_baseline"] / r["t_members"] if r["t_members"] else 0
    counts = r["counts"]
    lines = [
        "## Workbook import (benchmark/workbook.py)",
        "",
        f"Generated workbook: {counts['clubs']} clubs, {counts['members']} members, {counts['loans']} loans, "
        f"{counts['repayments']} repayments, {counts['entries']} fund entries, {counts['activities']} activities "
        f"({r['rows']} rows, {r['bytes'] / 1024 / 1024:.1f} MB; built in {r['t_generate']:.1f} s).",
        "Each import runs in a transaction rolled back afterwards.",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| bulk importer, all six sheets, validate + write + history | {r['t_import']:.2f} |",
        f"| same file again (everything unchanged, nothing written) | {r['t_reimport']:.2f} |",
        f"| bulk importer, members sheet only | {r['t_members']:.2f} |",
        f"| django-import-export `MemberResource`, row by row, members sheet only ({r['baseline_new']} new) | {r['t_baseline']:.2f} |",
        "",
        f"Row-by-row members sheet / bulk members sheet: **{members_ratio:.1f}×**; "
        f"row-by-row members sheet alone / bulk whole workbook: **{ratio:.1f}×**. "
        f"History rows written for members by the bulk import: {r['member_history']}.",
        "",
        f"Peak memory of the whole-workbook import (Python allocations, `tracemalloc`, a separate run): "
        f"**{r['mem_import']:.0f} MiB**.",
        "",
        "### A file of bad rows at the upload limit",
        "",
        f"{r['bad_rows']} member rows, each refused three times (unknown club, sex, birth year), "
        f"{r['bad_bytes'] / 1024 / 1024:.1f} MB ({r['bad_unpacked'] / 1024 / 1024:.0f} MB unpacked: the "
        f"first of the two upload limits it meets); {r['bad_problems']} errors. Target: under 500 MB and 60 s.",
        "The page lists the first 500 errors and counts the rest per sheet and column; the error file (the",
        "upload with bad cells filled red and a first column \"Lỗi\" listing each row's reasons, no cell",
        "comments) is read in openpyxl's read-only mode and written in its write-only mode, one row at a time.",
        "Memory is Python's peak allocations (`tracemalloc`, a second run); the process's peak RSS is higher.",
        "",
        "| step | seconds | peak memory (MiB) |",
        "|---|---:|---:|",
        f"| preview (read + validate every row) | {r['t_bad_preview']:.1f} | {r['mem_bad_preview']:.0f} |",
        f"| error file: validate again with marks + marked copy ({r['bad_marked_bytes'] / 1024 / 1024:.1f} MB) | "
        f"{r['t_bad_marked']:.1f} | {r['mem_bad_both']:.0f} |",
        "",
        "Within target (60 s, 500 MB): preview "
        f"{'yes' if r['t_bad_preview'] < 60 and r['mem_bad_preview'] < 500 else '**no**'}, error file "
        f"{'yes' if r['t_bad_marked'] < 60 and r['mem_bad_both'] < 500 else '**no**'}.",
        "",
    ]
    return "\n".join(lines)
