"""Writing care periods in bulk (the demo, the workbook import) with the history a form's save leaves."""
from django.apps import apps
from django.db.models import Max

from .models import Care


def record_volunteers(care_pks, *, batch_size=1000):
    """simple_history keeps a care period's volunteers with each of its history records (m2m_fields): the
    newest record of each period written in bulk gets them here, as care.volunteers.set() would."""
    history = Care.history.model
    m2m_history = apps.get_model("care", "HistoricalCare_volunteers")
    for start in range(0, len(care_pks), batch_size):
        batch = care_pks[start:start + batch_size]
        newest = dict(history.objects.filter(id__in=batch).values("id").annotate(last=Max("history_id"))
                      .values_list("id", "last"))
        m2m_history.objects.bulk_create([
            m2m_history(history_id=newest[care_id], id=pk, care_id=care_id, member_id=member_id)
            for pk, care_id, member_id in Care.volunteers.through.objects.filter(care_id__in=batch)
            .values_list("pk", "care_id", "member_id")
        ], batch_size=batch_size)
