"""Health sessions for tests: a session of a club, with checks of its members."""
import datetime

from care.models import HealthCheck, HealthSession


def session_with(club, on, readings, kind=HealthSession.Kind.MONTHLY):
    """readings: {member: (systolic, diastolic, weight)}; written directly, the service is tested elsewhere."""
    session = HealthSession.objects.create(club=club, date=on, kind=kind)
    for member, (systolic, diastolic, weight) in readings.items():
        HealthCheck.objects.create(session=session, member=member, systolic=systolic, diastolic=diastolic, weight=weight)
    return session


ON = datetime.date(2025, 3, 5)


def care_for(member, started_on, ended_on=None, volunteers=(), reason=None):
    """A care period of `member`, written directly (the service is tested in test_home_services.py)."""
    from care.models import Care

    care = Care.objects.create(member=member, started_on=started_on, ended_on=ended_on,
                               reason=reason or Care.Reason.LIMITED_MOBILITY)
    care.volunteers.set(volunteers)
    return care


def visit_of(care, volunteer, on, kinds=("cheer",), minutes=None, removed=False):
    from care.models import Visit

    return Visit.objects.create(care=care, volunteer=volunteer, date=on, kinds=list(kinds), minutes=minutes,
                                removed=removed)
