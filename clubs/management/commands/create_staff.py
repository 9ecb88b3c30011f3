from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clubs.actors import SYSTEM_USERNAME, command_actor
from clubs.models import Area, Staff


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

    @transaction.atomic
    def handle(self, *args, username, role, district, password, name, by, **options):
        if username == SYSTEM_USERNAME:
            raise CommandError(f"{SYSTEM_USERNAME} là tài khoản hệ thống, không dùng làm tài khoản cán bộ.")
        actor = command_actor(by)
        area = None
        if role == Staff.Role.DISTRICT:
            if not district:
                raise CommandError("Cán bộ huyện cần --district MÃ_HUYỆN.")
            area = Area.objects.districts().filter(code=district).first()
            if area is None:
                raise CommandError(f"Không có huyện cũ mã {district}.")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        if name:
            user.first_name = name
        # The same validators as the admin and the password forms (AUTH_PASSWORD_VALIDATORS).
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user.set_password(password)
        user.is_staff = user.is_superuser = role == Staff.Role.ADMIN
        user.save()
        staff = Staff.objects.filter(user=user).first() or Staff(user=user)
        staff.role, staff.district = role, area
        staff.full_clean(exclude=["user"])
        staff._history_user = actor
        staff.save()
        self.stdout.write(f"{'Đã tạo' if created else 'Đã cập nhật'} {username} ({role}{' ' + district if area else ''}).")
