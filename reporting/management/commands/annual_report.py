from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clubs.models import Area
from reporting import annual, report_files
from reporting.models import AnnualReport


class Command(BaseCommand):
    help = (
        "Xuất báo cáo năm (PDF theo Nghị định 30/2020 và Excel) với số liệu tại 31/12 của năm. "
        "Dùng dự thảo mới nhất của năm và địa bàn đó, nếu chưa có thì dùng phần đầu văn bản mặc định."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--district", help="mã huyện cũ (bỏ trống: toàn tỉnh)")
        parser.add_argument("--pdf", required=True, help="đường dẫn tệp PDF")
        parser.add_argument("--xlsx", help="đường dẫn tệp Excel (không bắt buộc)")
        parser.add_argument("--half", action="store_true", help="sơ kết 6 tháng đầu năm (số liệu đến 30/6)")

    def handle(self, *args, year, district, pdf, xlsx, half=False, **options):
        lo, hi = annual.year_range()
        if not lo <= year <= hi:
            raise CommandError(str(annual.YEAR_OUT_OF_RANGE) % {"min": lo, "max": hi})
        try:
            area = (
                Area.objects.get(level=Area.Level.DISTRICT, code=district)
                if district
                else Area.objects.get(level=Area.Level.PROVINCE)
            )
        except Area.DoesNotExist:
            raise CommandError(f"Không có huyện cũ mã {district}.")
        period = AnnualReport.Period.HALF if half else AnnualReport.Period.YEAR
        report = (
            AnnualReport.objects.filter(year=year, area=area, period=period).select_related("area", "plan")
            .order_by("-updated_at").first()
            or annual.new_report(year=year, area=area)
        )
        report.period = period
        context = annual.build_context(report)
        Path(pdf).write_bytes(report_files.render_pdf(context))
        self.stdout.write(f"PDF: {pdf}")
        if xlsx:
            Path(xlsx).write_bytes(report_files.render_xlsx(context))
            self.stdout.write(f"Excel: {xlsx}")
        source = f"dự thảo #{report.pk}" if report.pk else "phần đầu văn bản mặc định"
        self.stdout.write(self.style.SUCCESS(
            f"Báo cáo {annual.period_words(report)} – {area.name} ({source}), "
            f"số liệu đến {annual.data_date(year, period):%d/%m/%Y}."
        ))
