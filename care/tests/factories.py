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
