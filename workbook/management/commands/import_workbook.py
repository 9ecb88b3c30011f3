from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clubs.actors import command_actor
from workbook.importer import import_workbook
from workbook.reader import UnsafeWorkbook


def write_result(stdout, result):
    """The same summary and errors the web preview shows, as plain text."""
    for s in result.sheets:
        stdout.write(f"{s.name}: thêm mới {s.create}, cập nhật {s.update}, không đổi {s.unchanged}")
    for p in result.problems:
        where = f"{p.sheet}, dòng {p.row}, cột {p.column}" if p.sheet else "Tệp"
        stdout.write(f"LỖI {where}: “{p.value}” – {p.reason}")
    for sheet, column, n in result.more_problems:
        stdout.write(f"LỖI {sheet}, cột {column}: thêm {n} lỗi (chỉ liệt kê {len(result.problems)} lỗi đầu tiên).")
    for p in result.warnings:
        stdout.write(f"LƯU Ý {p.sheet}, dòng {p.row}, cột {p.column}: “{p.value}” – {p.reason}")


class Command(BaseCommand):
    help = "Nhập một tệp Excel theo mẫu (CLB, Thành viên, Khoản vay, Trả nợ, Quỹ, Hoạt động, Sinh hoạt, Khám sức khỏe). Lỗi ở bất kỳ dòng nào: không lưu gì."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và báo cáo, không lưu.")
        parser.add_argument("--as", dest="username", help="Nhập với quyền của người dùng này (mặc định: toàn quyền).")
        parser.add_argument("--confirm-duplicates", action="store_true",
                            help="Đã kiểm tra các dòng có thể trùng người: đều là người khác, vẫn lưu.")

    def handle(self, *args, file, dry_run, username, confirm_duplicates, **options):
        # Without --as: full rights, and the history names the system account rather than nobody.
        actor = command_actor(username)
        user = actor if username else None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        try:
            result = import_workbook(path.read_bytes(), user=user, commit=not dry_run,
                                     confirm_duplicates=confirm_duplicates, actor=actor)
        except UnsafeWorkbook as exc:
            raise CommandError(str(exc)) from None
        write_result(self.stdout, result)
        if result.problem_count:
            raise CommandError(f"{result.problem_count} lỗi: không lưu gì.")
        if result.needs_confirmation and not dry_run:
            raise CommandError(f"{len(result.warnings)} dòng có thể trùng người: không lưu gì. "
                               "Kiểm tra rồi chạy lại với --confirm-duplicates.")
        if dry_run:
            self.stdout.write("Chạy thử: tệp hợp lệ, chưa lưu gì.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã lưu: {result.changes} dòng thêm mới hoặc cập nhật."))
