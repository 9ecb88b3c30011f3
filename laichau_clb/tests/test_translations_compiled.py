"""`make run` serves the compiled catalogues (.mo) from the repository instead of compiling them on
every start: each must hold exactly what its .po says, or the English screens show stale text."""
import gettext
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
                    if ".venv" not in p.parts and "node_modules" not in p.parts)


def _catalogue(mo_path):
    with open(mo_path, "rb") as f:
        return gettext.GNUTranslations(f)._catalog


def test_every_app_has_a_catalogue():
    # The glob must find them all, or the check below would pass on nothing.
    assert {p.relative_to(ROOT).parts[0] for p in CATALOGUES} >= {
        "locale", "clubs", "funds", "care", "programme", "reporting", "workbook", "jobs", "api"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_committed_mo_matches_its_po(po, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed.relative_to(ROOT)} thiếu: chạy manage.py compilemessages"
    assert _catalogue(committed) == _catalogue(fresh), (
        f"{committed.relative_to(ROOT)} cũ hơn {po.name}: chạy manage.py compilemessages")
