from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clubs.models import Area, Club
from workbook.xlsx import communes_for, export_workbook


class Command(BaseCommand):
    help = "Xuất dữ liệu CLB ra tệp Excel cùng mẫu với tệp nhập."

    def add_arguments(self, parser):
        parser.add_argument("file")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--district", help="Mã huyện cũ (3 chữ số).")
        scope.add_argument("--commune", help="Mã xã/phường hiện hành (5 chữ số).")

    def handle(self, *args, file, district, commune, **options):
        clubs = Club.objects.all()
        if district or commune:
            level, code = (Area.Level.DISTRICT, district) if district else (Area.Level.COMMUNE, commune)
            try:
                area = Area.objects.get(level=level, code=code)
            except Area.DoesNotExist:
                raise CommandError(f"Không có đơn vị mã {code}.") from None
            clubs = clubs.in_area(area)
        book = export_workbook(clubs, communes=communes_for())
        book.save(Path(file))
        self.stdout.write(f"Đã xuất {clubs.count()} CLB vào {file}.")
