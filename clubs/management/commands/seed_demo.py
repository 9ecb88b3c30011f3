import io

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from clubs import demo

REFUSED_IN_PRODUCTION = "seed_demo không chạy với cấu hình production: dữ liệu và tài khoản mẫu không thuộc về máy chủ thật."


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (cố định, chạy lại an toàn) và tạo tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, seed, **options):
        if settings.PRODUCTION:
            raise CommandError(REFUSED_IN_PRODUCTION)
        demo.create_demo_accounts(stdout=io.StringIO())
        # Steps are listed in settings so each app seeds its own part, in dependency order.
        for path in settings.DEMO_STEPS:
            import_string(path)(seed=seed, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu: {demo.DEMO_PASSWORD}, trừ tài khoản đã có từ trước):"))
        for username, role, district, name in demo.demo_accounts():
            self.stdout.write(f"  {username:<14} {role:<9} {name}")
