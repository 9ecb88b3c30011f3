import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from clubs.models import ActivityArea, Member, Track
from funds.models import EntryKind, Fund, Source
from workbook import spec
from benchmark.workbook import section


@pytest.mark.parametrize("labels,choices,skip_blank", [
    (spec.TRACK_CHOICES, Track, False), (spec.GENDER_CHOICES, Member.Gender, False),
    (spec.HOUSEHOLD_CHOICES, Member.Household, True), (spec.FUND_CHOICES, Fund, False),
    (spec.KIND_CHOICES, EntryKind, False), (spec.SOURCE_CHOICES, Source, False), (spec.AREA_CHOICES, ActivityArea, False),
])
def test_workbook_labels_cover_every_model_value(labels, choices, skip_blank):
    values = [v for v in choices.values if not (skip_blank and v == "")]
    assert [v for _, v in labels] == values
    # The spec's labels are the models' own label texts (before translation).
    from django.utils import translation
    with translation.override(None):
        assert [label for label, _ in labels] == [str(choices(v).label) for v in values]


def test_benchmark_section_is_registered():
    assert "benchmark.workbook.section" in settings.BENCHMARK_SECTIONS
    assert import_string("benchmark.workbook.section") is section


@pytest.mark.benchmark
@pytest.mark.django_db
def test_benchmark_section_runs_and_leaves_nothing_behind():
    from clubs.models import Club
    text = section(members=200)
    assert "| bulk importer" in text and "×" in text
    assert not Club.objects.filter(code__startswith="BENCH-").exists()
