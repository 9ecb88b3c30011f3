"""A commune code from before the merger of 1/7/2025, typed where a current commune is asked for: the
one refusal the workbook, the `indicators` command and the API give."""
import pytest
from django.utils import translation

from clubs.models import Area, staff_of

pytestmark = pytest.mark.django_db


def _legacy_with_successor():
    return (Area.objects.filter(level=Area.Level.LEGACY_COMMUNE, successor__isnull=False)
            .select_related("successor", "successor__parent").order_by("code").first())


def test_the_hint_names_the_commune_that_replaced_it():
    legacy = _legacy_with_successor()
    hint = Area.objects.legacy_commune_hint(legacy.code)
    assert legacy.name in hint and legacy.successor.name in hint and f"mã {legacy.successor.code}" in hint


def test_the_successor_is_named_only_among_the_areas_asked_about(staff_a, staff_b):
    legacy = _legacy_with_successor()
    district = legacy.successor.parent
    outside = next(s for s in (staff_a, staff_b) if staff_of(s).district_id != district.pk)
    hint = Area.objects.visible_to(outside).legacy_commune_hint(legacy.code)
    assert f"Mã {legacy.code} là mã xã cũ" in hint and legacy.successor.name not in hint


def test_a_code_no_commune_ever_had_has_no_hint():
    assert Area.objects.legacy_commune_hint("99999") is None


def test_the_hint_is_in_english_on_an_english_screen():
    legacy = _legacy_with_successor()
    with translation.override("en"):
        hint = Area.objects.legacy_commune_hint(legacy.code)
    assert hint.startswith(f"Code {legacy.code} is the former commune") and legacy.successor.name in hint
