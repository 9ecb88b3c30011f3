"""Reopen an approved year (issue 15): writes dated in it are accepted again, the approval stays."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from reporting import approval

from .approve_year import area_and_user, refused


class Command(BaseCommand):
    help = "Mở lại số liệu năm đã phê duyệt (cần lý do)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--district", help="mã huyện cũ (3 chữ số); mặc định toàn tỉnh")
        parser.add_argument("--as", dest="username", required=True, help="tài khoản cán bộ tỉnh")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, year, district, username, reason, **options):
        area, user = area_and_user(district, username)
        try:
            approval.year_reopen(user=user, area=area, year=year, reason=reason)
        except ValidationError as exc:
            raise refused(exc)
        self.stdout.write(f"Đã mở lại số liệu năm {year} của {area.name}.")
