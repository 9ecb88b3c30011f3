"""Build (or reuse) the national-scale dataset and time every section of settings.BENCHMARK_SECTIONS."""
import datetime
import os
import platform
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from benchmark import dataset as bench

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/laichau_clb_bench"
DEFAULT_SECTIONS = [
    "benchmark.sections.indicators_section", "benchmark.sections.dashboard_section", "benchmark.sqlite.sqlite_section",
]


def _create_database(cfg):
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(
        dbname="postgres", user=cfg.get("USER") or None, password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or None, port=cfg.get("PORT") or None,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    finally:
        conn.close()


def machine():
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    u = platform.uname()
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{u.system} {u.release} {u.machine}; {os.cpu_count()} CPU{f' ({cpu})' if cpu else ''}; "
        f"PostgreSQL {pg}; Python {platform.python_version()}; load average at start {load}"
    )


class Command(BaseCommand):
    help = "Đo hiệu năng trên bộ dữ liệu quy mô toàn quốc (PostgreSQL) và ghi docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1 = 6.000 CLB, 300.000 thành viên, 500.000 khoản vay, 400.000 hoạt động")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--as-of", default="2025-12-31")
        parser.add_argument("--rebuild", action="store_true", help="xây lại bộ dữ liệu dù đã có")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"))
        parser.add_argument("--only", default="", help="chỉ chạy các phần có đường dẫn chứa chuỗi này (phân cách bằng dấu phẩy)")
        parser.add_argument(
            "--here", action="store_true",
            help="dùng cơ sở dữ liệu hiện tại thay vì BENCHMARK_DATABASE_URL (chỉ cho kiểm thử, tên phải bắt đầu bằng test_)",
        )

    def handle(self, *args, scale, runs, as_of, rebuild, output, here, only, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "Benchmark chỉ chạy trên PostgreSQL (đang dùng %s). Đặt DATABASE_URL=postgres://… rồi chạy lại."
                % connection.vendor
            )
        if here:
            if not connection.settings_dict["NAME"].startswith("test_"):
                raise CommandError("--here chỉ dùng với cơ sở dữ liệu kiểm thử (tên bắt đầu bằng test_).")
        else:
            self._switch_to_bench_database()
        bench.CONFIG.update(runs=runs, scale=scale, as_of=datetime.date.fromisoformat(as_of))

        if rebuild or not bench.dataset_present(scale):
            self.stdout.write(f"Building dataset at scale {scale} in {connection.settings_dict['NAME']}…")
            bench.build_dataset(scale, stdout=self.stdout)
        else:
            self.stdout.write(f"Reusing dataset at scale {scale} in {connection.settings_dict['NAME']}.")
            bench.vacuum()
        counts = bench.counts()

        parts = [
            "# Benchmarks",
            "",
            f"Run on {timezone.localtime():%d/%m/%Y %H:%M} ({settings.TIME_ZONE}) by `python manage.py benchmark --scale {scale:g} "
            f"--runs {runs}`.",
            "",
            f"Machine: {machine()}.",
            "",
            "The dataset is built once with set-based `INSERT … SELECT` (deterministic, `setseed`) in a",
            "separate database (`BENCHMARK_DATABASE_URL`), spread over the province's 38 current communes,",
            "and reused while its sentinel row matches the scale; `--rebuild` builds it again. Its tables",
            "are vacuumed and analysed before the sections run (`VACUUM ANALYZE`, as autovacuum would).",
            "",
            "Dataset (database `%s`, scale %g): %s." % (
                connection.settings_dict["NAME"], scale,
                ", ".join(f"{v:,} {k}".replace(",", ".") for k, v in counts.items()),
            ),
            "",
        ]
        wanted = [w.strip() for w in only.split(",") if w.strip()]
        for path in getattr(settings, "BENCHMARK_SECTIONS", DEFAULT_SECTIONS):
            if wanted and not any(w in path for w in wanted):
                continue
            section = import_string(path)
            self.stdout.write(f"— {path}")
            parts.append(section(stdout=self.stdout).rstrip() + "\n")
        text = "\n".join(parts)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))

    def _switch_to_bench_database(self):
        """Point the default connection at the benchmark database so the demo data is never touched."""
        url = os.environ.get("BENCHMARK_DATABASE_URL", DEFAULT_URL)
        cfg = dj_database_url.parse(url)
        if "postgres" not in cfg["ENGINE"]:
            raise CommandError("BENCHMARK_DATABASE_URL phải là một cơ sở dữ liệu PostgreSQL.")
        _create_database(cfg)
        conn = connections["default"]
        conn.close()
        for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
            conn.settings_dict[key] = cfg.get(key, "")
        call_command("migrate", interactive=False, verbosity=0)
