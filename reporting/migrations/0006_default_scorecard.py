"""The default scorecard (issue 15 point 3), which the province edits: no national criteria are
published, so these are a starting point (100 points; Tốt from 80, Khá from 65, Trung bình from 50).
Written with its history rows, so the scorecard page shows when it was created (by the system)."""
from django.db import migrations
from django.utils import timezone

CRITERIA = (
    ("Cơ cấu thành viên đạt yêu cầu (từ 40 thành viên; nữ, NCT mỗi nhóm 60–70%)", "composition_ok", None, 10),
    ("Có quỹ tăng thu nhập, quỹ hoạt động và quy chế", "funds_ok", None, 10),
    ("Hoạt động đủ 8 mảng trong năm", "areas_ok", None, 15),
    ("Sinh hoạt định kỳ đủ các tháng", "meetings_ok", None, 10),
    ("Từ 50% thành viên được vay vốn", "borrowers_share", 50, 15),
    ("Nợ quá hạn trên 30 ngày dưới 5% dư nợ", "par30_below", 5, 10),
    ("Từ 50% thành viên được khám/đo sức khỏe trong năm", "members_checked_share", 50, 10),
    ("Có tình nguyện viên chăm sóc tại nhà", "volunteers", 1, 5),
    ("Người được chăm sóc tại nhà được thăm đủ các tháng", "recipients_visited_share", 100, 10),
    ("Có từ 40 thành viên trở lên", "size_ok", None, 5),
)


def seed(apps, schema_editor):
    Scorecard = apps.get_model("reporting", "Scorecard")
    Criterion = apps.get_model("reporting", "Criterion")
    if Scorecard.objects.exists():
        return
    now = timezone.now()
    card = Scorecard.objects.create(
        name="Bảng tiêu chí xếp loại CLB liên thế hệ tự giúp nhau", source="Mặc định, tỉnh có thể sửa",
        active=True, year_from=2017, min_good=80, min_fair=65, min_average=50, commend_by="top", commend_value=10)
    fields = [f.attname for f in Scorecard._meta.concrete_fields]
    apps.get_model("reporting", "HistoricalScorecard").objects.create(
        **{name: getattr(card, name) for name in fields}, history_date=now, history_type="+")
    history = apps.get_model("reporting", "HistoricalCriterion")
    fields = [f.attname for f in Criterion._meta.concrete_fields]
    for order, (label, figure, threshold, points) in enumerate(CRITERIA, start=1):
        row = Criterion.objects.create(scorecard=card, order=order, label=label, figure=figure, threshold=threshold,
                                       points=points, active=True)
        history.objects.create(**{name: getattr(row, name) for name in fields}, history_date=now, history_type="+")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_scorecard")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
