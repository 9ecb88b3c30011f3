"""Benchmark section: how long the annual report takes to generate (figures, PDF, workbook).

Run by `python manage.py benchmark` (settings.BENCHMARK_SECTIONS) on the national-scale dataset it
has switched to, and, when DATABASE_URL names another database (the Lai Châu demo), on that one too.
"""
import os
import time

import dj_database_url
from django.db import connections

from clubs.models import Area, Club

from benchmark import dataset as bench
from reporting import annual, report_files

RUNS = 3  # a full report renders two PDFs' worth of pages on 6.000 clubs: three runs are enough for a median


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _measure_report(year):
    """Median seconds of each step over RUNS runs (after a warm-up), plus sizes of the last run."""
    area = Area.objects.get(level=Area.Level.PROVINCE)
    report = annual.new_report(year=year, area=area)
    report.number_symbol = "01/BC-HNCT"
    steps = {"figures": [], "pdf": [], "xlsx": [], "total": []}
    last = {}
    for run in range(RUNS + 1):
        t_ctx, context = _timed(lambda: annual.build_context(report))
        t_pdf, pdf = _timed(lambda: report_files.render_pdf(context))
        t_xlsx, xlsx = _timed(lambda: report_files.render_xlsx(context))
        if run:  # the first run warms caches and imports
            for key, value in (("figures", t_ctx), ("pdf", t_pdf), ("xlsx", t_xlsx), ("total", t_ctx + t_pdf + t_xlsx)):
                steps[key].append(value)
        last = {"clubs": context["ind"].clubs_active, "pdf_kib": len(pdf) // 1024, "xlsx_kib": len(xlsx) // 1024}
    medians = {key: sorted(values)[len(values) // 2] for key, values in steps.items()}
    return medians, last


def _row(label, medians, last):
    return (
        f"| {label} | {last['clubs']:,} | {bench.ms(medians['figures'])} | {bench.ms(medians['pdf'])} "
        f"({last['pdf_kib']:,} KiB) | {bench.ms(medians['xlsx'])} ({last['xlsx_kib']:,} KiB) | "
        f"{bench.ms(medians['total'])} |"
    ).replace(",", ".")


def _switch(conn, cfg):
    conn.close()
    for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
        conn.settings_dict[key] = cfg.get(key, "")


def section(*, stdout):
    year = bench.CONFIG["as_of"].year
    conn = connections["default"]
    lines = [
        "## Annual report (`reporting.annual`: figures at 31/12, PDF with WeasyPrint, Excel with openpyxl)",
        "",
        f"Province report for {year}; median of {RUNS} runs after one warm-up. \"Figures\" is the context: "
        "club rows, roll-ups by area, and the yearly series of the schedule table and the three charts. "
        "Excel includes the compliance matrix (one row per club).",
        "",
        "| database | active clubs | figures | PDF | Excel | total |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    demo_url = os.environ.get("DATABASE_URL", "")
    demo = dj_database_url.parse(demo_url) if demo_url.startswith("postgres") else None
    here = conn.settings_dict["NAME"]
    medians, last = _measure_report(year)
    stdout.write(f"annual report on {here}: {bench.ms(medians['total'])}\n")
    if here.startswith("test_"):
        kind = "test database"
    elif demo and demo["NAME"] == here:
        kind = "current database"
    else:
        kind = "benchmark dataset"
    lines.append(_row(f"`{here}` ({kind})", medians, last))

    # A test database never reaches out to another one (tests and `benchmark --here` run on test_*).
    if demo and demo["NAME"] != here and not here.startswith("test_"):
        saved = {key: conn.settings_dict.get(key, "") for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
        try:
            _switch(conn, demo)
            if Club.objects.exists():
                medians, last = _measure_report(year)
                stdout.write(f"annual report on {demo['NAME']}: {bench.ms(medians['total'])}\n")
                lines.append(_row(f"`{demo['NAME']}` (Lai Châu demo)", medians, last))
            else:
                lines.append(f"| `{demo['NAME']}` (demo: no clubs, run `seed_demo` first) | – | – | – | – | – |")
        except Exception as exc:  # the demo database is optional for the benchmark; say why it is missing
            lines.append(f"| `{demo['NAME']}` (not measured: {type(exc).__name__}) | – | – | – | – | – |")
        finally:
            _switch(conn, saved)
    lines.append("")
    return "\n".join(lines)
