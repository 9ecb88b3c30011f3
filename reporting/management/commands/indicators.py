"""Print the plan indicators of indicators.md for a reference date, as §6 describes."""
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from clubs.models import Area
from reporting.indicators import indicators_json


class Command(BaseCommand):
    help = "Chỉ tiêu kế hoạch tại ngày chốt số liệu (indicators.md §6)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--district", help="mã huyện cũ (3 chữ số)")
        scope.add_argument("--commune", help="mã xã/phường hiện hành (5 chữ số)")
        parser.add_argument("--json", action="store_true", help="in JSON (mặc định)")

    def handle(self, *args, as_of, district, commune, **options):
        try:
            day = datetime.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {as_of!r} (cần YYYY-MM-DD).")
        try:
            area = Area.objects.resolve(district=district, commune=commune)
        except Area.DoesNotExist:
            hint = Area.objects.legacy_commune_hint(commune) if commune else None
            raise CommandError(hint or f"Không tìm thấy địa bàn: {district or commune or 'tỉnh'}.")
        result = indicators_json(area=area, as_of=day)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
