"""Rebuild the kept per-club figure rows (reporting/figure_rows.py), e.g. after a deploy or seed_demo."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting import figure_rows


class Command(BaseCommand):
    help = "Lập lại số liệu từng CLB lập sẵn cho hôm nay và mỗi ngày 31/12 (hoặc một ngày --date)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD: chỉ ngày này (hôm nay hoặc một ngày 31/12 đã qua)")

    def handle(self, *args, date=None, **options):
        dates = None  # every kept date
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"Ngày không hợp lệ: {date} (YYYY-MM-DD)") from None
            if not figure_rows.is_kept(on):
                raise CommandError(f"Chỉ lập sẵn cho hôm nay ({timezone.localdate():%d/%m/%Y}) và các ngày 31/12 đã qua.")
            dates = [on]
        for on, count in figure_rows.build_all(dates):
            self.stdout.write(f"{on:%d/%m/%Y}: {count} CLB")
