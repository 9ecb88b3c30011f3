"""Make an API token for a staff account and print its key, once (docs/api.md)."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import token_create
from clubs.actors import command_actor


class Command(BaseCommand):
    help = "Tạo mã truy cập API cho một tài khoản cán bộ; in mã một lần."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="tên gọi của mã (dùng vào việc gì)")
        parser.add_argument("--as", dest="actor", help="người tạo ghi trong lịch sử (mặc định: tài khoản hệ thống)")

    def handle(self, *args, username, name, actor, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng {username}.")
        try:
            token, key = token_create(user=user, name=name, actor=command_actor(actor))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Đã tạo mã “{token.name}” cho {user.username}. Mã chỉ in một lần, hãy chép ngay:")
        self.stdout.write(key)
