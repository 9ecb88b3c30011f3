"""Demo data of the reporting app: the Lai Châu plan of indicators.md §2 and §5."""
from clubs.models import Area

from .plans import seed_lai_chau_plan


def seed_plan(*, seed=None, stdout=None):
    """Idempotent: keyed by the plan's name; officers' later edits to target values are kept."""
    plan = seed_lai_chau_plan(Area.objects.get(level=Area.Level.PROVINCE))
    if stdout is not None:
        stdout.write(f"Kế hoạch: {plan.name} ({plan.targets.count()} chỉ tiêu)\n")
    return plan
