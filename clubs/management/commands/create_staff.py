from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clubs.actors import SYSTEM_USERNAME, command_actor
from clubs.models import Staff
from clubs.staff import password_check, staff_save


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật tài khoản cán bộ: officer (toàn tỉnh), district (một huyện cũ), admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Staff.Role])
        parser.add_argument("--district", help="Mã huyện cũ (3 chữ số), bắt buộc với --role district")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="", help="Họ và tên hiển thị")
        parser.add_argument("--by", dest="by", default="",
                            help=f"Người tạo, ghi vào lịch sử (mặc định: tài khoản hệ thống {SYSTEM_USERNAME})")

    def handle(self, *args, username, role, district, password, name, by, **options):
        try:
            if username != SYSTEM_USERNAME:
                password_check(password, username=username, name=name)
            staff, created = staff_save(
                username=username, role=role, district_code=district, name=name,
                password_hash=make_password(password), actor=command_actor(by),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        area = f" {staff.district.code}" if staff.district else ""
        self.stdout.write(f"{'Đã tạo' if created else 'Đã cập nhật'} {username} ({role}{area}).")
