"""Demo activities of the plan (a seed_demo step, after care): trainings, communication, exchange visits
between demo clubs, supervision visits to demo clubs (some with a follow-up still open) and the budget by
source, for the province and each former district, this year and last. Every row is recorded in DemoRecord;
a kind the demo already wrote is not written again, and a budget line someone entered is left alone."""
import datetime
import random

from django.db import transaction
from django.utils import timezone

from clubs.actors import system_user
from clubs.bulk import bulk_create_with_history
from clubs.demo import demo_only, mark_demo
from clubs.models import Area, Club

from .models import BudgetLine, Communication, ExchangeVisit, Source, SupervisionVisit, Training

TOPICS = ["Kỹ năng quản lý, điều hành CLB", "Quản lý quỹ tăng thu nhập, cho vay vốn", "Chăm sóc sức khỏe người cao tuổi",
          "Tình nguyện viên chăm sóc tại nhà", "Ghi chép sổ sách, báo cáo CLB"]
TITLES = ["Nói chuyện chuyên đề về mô hình CLB", "Phóng sự về CLB liên thế hệ", "Sổ tay hướng dẫn hoạt động CLB",
          "Pa nô tuyên truyền Đề án"]
FINDINGS = ["Sinh hoạt đều đặn, sổ sách đầy đủ.", "Sổ quỹ ghi chưa kịp thời.", "Chưa đủ 8 mảng hoạt động."]
FOLLOW_UPS = ["Bổ sung sổ quỹ hoạt động.", "Họp Ban chủ nhiệm phân công phụ trách từng mảng.", ""]


def _day(rng, year, today):
    last = min(today, datetime.date(year, 12, 31))
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, (last - datetime.date(year, 1, 1)).days))


def seed_programme(*, seed, stdout):
    today = timezone.localdate()
    rng = random.Random(f"{seed}:programme")
    province = Area.objects.get(level=Area.Level.PROVINCE)
    districts = list(Area.objects.districts().order_by("code"))
    clubs = list(demo_only(Club.objects.all()).select_related("commune").order_by("code"))
    years = [today.year - 1, today.year]
    made = {}
    with transaction.atomic():
        actor = system_user()
        if not demo_only(Training.objects.all()).exists():
            rows = []
            for area in [province, *districts]:
                for year in years:
                    for _ in range(rng.randint(1, 3)):
                        rows.append(Training(area=area, date=_day(rng, year, today), organiser=f"Hội NCT {area.name}",
                                             topic=rng.choice(TOPICS), cadres=rng.randint(0, 20), board=rng.randint(5, 30),
                                             members=rng.randint(0, 40), others=rng.randint(0, 5)))
            made[Training] = bulk_create_with_history(rows, Training, default_user=actor)
        if not demo_only(Communication.objects.all()).exists():
            rows = []
            for area in [province, *districts]:
                for year in years:
                    for _ in range(rng.randint(1, 2)):
                        kind = rng.choice(Communication.Kind.values)
                        rows.append(Communication(
                            area=area, kind=kind, date=_day(rng, year, today), title=rng.choice(TITLES),
                            quantity=None if kind == Communication.Kind.EVENT else rng.randint(1, 500),
                            audience=rng.randint(30, 300) if kind == Communication.Kind.EVENT else None))
            made[Communication] = bulk_create_with_history(rows, Communication, default_user=actor)
        if not demo_only(ExchangeVisit.objects.all()).exists() and clubs:
            visits, members = [], []
            for district in districts:
                own = [c for c in clubs if c.commune.parent_id == district.pk]
                for year in years:
                    on = _day(rng, year, today)
                    taking = [c for c in own if c.is_active(on)][:3]
                    if not taking:
                        continue
                    outside = rng.random() < 0.3
                    visits.append(ExchangeVisit(area=district, date=on, title="Giao lưu, học tập kinh nghiệm",
                                                outside_province=outside, destination="Tỉnh Điện Biên" if outside else "",
                                                participants=rng.randint(10, 40)))
                    members.append(taking)
            made[ExchangeVisit] = bulk_create_with_history(visits, ExchangeVisit, default_user=actor)
            ExchangeVisit.clubs.through.objects.bulk_create([
                ExchangeVisit.clubs.through(exchangevisit_id=v.pk, club_id=c.pk)
                for v, taking in zip(made[ExchangeVisit], members) for c in taking])
            _record_clubs([v.pk for v in made[ExchangeVisit]])
        if not demo_only(SupervisionVisit.objects.all()).exists() and clubs:
            rows = []
            for club in clubs[::3]:
                on = max(club.founded_on, today - datetime.timedelta(days=rng.randint(10, 300)))
                if on > (club.dissolved_on or today):
                    continue
                follow_up = rng.choice(FOLLOW_UPS)
                done = bool(follow_up) and rng.random() < 0.5 and on < today
                rows.append(SupervisionVisit(club=club, date=on, by_whom="Hội NCT huyện", findings=rng.choice(FINDINGS),
                                             follow_up=follow_up, follow_up_done=done,
                                             follow_up_done_on=min(today, on + datetime.timedelta(days=20)) if done else None))
            if rows and not any(r.follow_up and not r.follow_up_done for r in rows):
                rows[0].follow_up, rows[0].follow_up_done, rows[0].follow_up_done_on = FOLLOW_UPS[0], False, None
            made[SupervisionVisit] = bulk_create_with_history(rows, SupervisionVisit, default_user=actor)
        taken = set(BudgetLine.objects.kept().values_list("year", "area_id", "source"))
        lines = []
        for area in [province, *districts]:
            sources = [Source.CENTRAL, Source.PROVINCE, Source.SOCIAL] if area == province else [
                Source.DISTRICT, Source.COMMUNE, Source.LOCAL]
            for year in years:
                for source in sources:
                    if (year, area.pk, source) in taken:
                        continue
                    estimate = rng.randint(5, 60) * 10_000_000 if area == province else rng.randint(5, 40) * 1_000_000
                    actual = estimate * rng.randint(40, 100) // 100 if year < today.year else estimate * rng.randint(0, 60) // 100
                    lines.append(BudgetLine(area=area, year=year, source=source, estimate=estimate, actual=actual))
        made[BudgetLine] = bulk_create_with_history(lines, BudgetLine, default_user=actor)
        for model, rows in made.items():
            mark_demo(model.objects.filter(pk__in=[r.pk for r in rows]))
    stdout.write("Hoạt động của Đề án: " + ", ".join(
        f"{len(rows)} {model._meta.verbose_name}" for model, rows in made.items()) + ".\n")


def _record_clubs(pks):
    """The clubs of exchange visits written in bulk, in each visit's newest history record (as clubs.set())."""
    from django.apps import apps
    from django.db.models import Max

    history = ExchangeVisit.history.model
    m2m = apps.get_model("programme", "HistoricalExchangeVisit_clubs")
    newest = dict(history.objects.filter(id__in=pks).values("id").annotate(last=Max("history_id"))
                  .values_list("id", "last"))
    m2m.objects.bulk_create([
        m2m(history_id=newest[visit_id], id=pk, exchangevisit_id=visit_id, club_id=club_id)
        for pk, visit_id, club_id in ExchangeVisit.clubs.through.objects.filter(exchangevisit_id__in=pks)
        .values_list("pk", "exchangevisit_id", "club_id")])
