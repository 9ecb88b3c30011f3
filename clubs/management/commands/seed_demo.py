from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from clubs import cache, demo

REFUSED_IN_PRODUCTION = "seed_demo không chạy với cấu hình production: dữ liệu và tài khoản mẫu không thuộc về máy chủ thật."


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu (cố định, chạy lại an toàn) và tạo tài khoản mẫu. Chỉ tạo và cập nhật dữ liệu do "
            "chính lệnh này tạo ra: CLB, tài khoản, kế hoạch người dùng đã nhập được giữ nguyên.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--migrate", action="store_true",
                            help="áp dụng các migration trước, trong cùng tiến trình (make run: khởi động Django một lần)")

    def handle(self, *args, seed, migrate, **options):
        if settings.PRODUCTION:
            raise CommandError(REFUSED_IN_PRODUCTION)
        if migrate:
            call_command("migrate", interactive=False, skip_checks=True, stdout=self.stdout)
        theirs = demo.create_demo_accounts()
        # Steps are listed in settings so each app seeds its own part, in dependency order.
        for path in settings.DEMO_STEPS:
            import_string(path)(seed=seed, stdout=self.stdout)
        cache.bump()  # the demo steps write in bulk, past the services: cached figures are stale now
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu: {demo.DEMO_PASSWORD}, trừ tài khoản đã có từ trước):"))
        for username, role, district, name in demo.demo_accounts():
            note = "  (tài khoản do người dùng tạo: giữ nguyên, không đổi mật khẩu)" if username in theirs else ""
            self.stdout.write(f"  {username:<14} {role:<9} {name}{note}")
