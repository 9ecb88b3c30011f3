"""Approve a year's figures for the province or a former district (issue 15)."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clubs.models import Area
from reporting import approval


def area_and_user(district, username):
    try:
        user = get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"Không có tài khoản {username!r}.")
    try:
        area = (Area.objects.get(level=Area.Level.DISTRICT, code=district) if district
                else Area.objects.get(level=Area.Level.PROVINCE))
    except Area.DoesNotExist:
        raise CommandError(f"Không có huyện cũ mã {district!r}.")
    except Area.MultipleObjectsReturned:
        raise CommandError("Có nhiều tỉnh trong dữ liệu: ghi --district.")
    return area, user


def refused(exc):
    return CommandError(" ".join(exc.messages))


class Command(BaseCommand):
    help = "Phê duyệt số liệu năm: chốt số liệu tại 31/12 và không cho ghi thêm số liệu ghi ngày trong năm đó."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--district", help="mã huyện cũ (3 chữ số); mặc định toàn tỉnh")
        parser.add_argument("--as", dest="username", required=True, help="tài khoản cán bộ tỉnh phê duyệt")
        parser.add_argument("--note", default="")

    def handle(self, *args, year, district, username, note, **options):
        area, user = area_and_user(district, username)
        try:
            found = approval.year_approve(user=user, area=area, year=year, note=note)
        except ValidationError as exc:
            raise refused(exc)
        self.stdout.write(f"Đã phê duyệt số liệu năm {year} của {area.name} "
                          f"({len(found.snapshot['indicators'])} địa bàn đã chốt).")
