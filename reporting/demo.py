"""Demo data of the reporting app: the Lai Châu plan of indicators.md §2 and §5."""
from clubs.demo import demo_only, mark_demo
from clubs.models import Area

from .models import Plan
from .plans import LAI_CHAU_2035_PLAN, LAI_CHAU_PLAN, seed_lai_chau_2035_plan, seed_lai_chau_plan


def seed_plan(*, seed=None, stdout=None):
    """Idempotent: keyed by the plan's name; officers' later edits to target values are kept. A plan of
    that name that seed_demo did not create is someone's own and is left untouched. Seeds the
    2021–2025 plan and the 2026–2035 one beside it; returns the first."""
    province = Area.objects.get(level=Area.Level.PROVINCE)
    seeded = []
    for fields, seed_one in ((LAI_CHAU_PLAN, seed_lai_chau_plan), (LAI_CHAU_2035_PLAN, seed_lai_chau_2035_plan)):
        same_name = Plan.objects.filter(name=fields["name"], area=province)
        if same_name.exists() and not demo_only(same_name).exists():
            if stdout is not None:
                stdout.write(f"Kế hoạch: đã có kế hoạch “{fields['name']}” do người dùng nhập, giữ nguyên.\n")
            seeded.append(same_name.first())
            continue
        plan = seed_one(province)
        mark_demo(Plan.objects.filter(pk=plan.pk))
        if stdout is not None:
            stdout.write(f"Kế hoạch: {plan.name} ({plan.targets.count()} chỉ tiêu)\n")
        seeded.append(plan)
    return seeded[0]


def seed_figure_rows(*, seed=None, stdout=None):
    """The demo steps write in bulk, past the write paths: the kept figure rows (reporting/figure_rows.py)
    are rebuilt after them, one task per kept date (reporting.tasks.build_date), as `refresh_figures`
    would (dropped only, where the rows are switched off). The task worker that `make run` starts beside
    the server builds them in its first seconds, off the newcomer's wait; until then a page computes its
    figures live. Under the immediate backend (the tests) they are built here."""
    from . import figure_rows
    from .models import FigureDate
    from .tasks import build_date

    FigureDate.objects.all().delete()
    if not figure_rows.enabled():
        return
    dates = figure_rows.kept_dates()
    for on in dates:
        build_date.enqueue(on.isoformat())
    if stdout is not None:
        stdout.write(f"Số liệu từng CLB lập sẵn: {len(dates)} ngày (tác vụ nền)\n")
