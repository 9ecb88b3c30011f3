"""Database ids printed in templates are never localised. With USE_THOUSAND_SEPARATOR and the Vietnamese
formats, `{{ care.pk }}` prints id 1234 as "1.234": a row's `id="care-1.234"`, an `<option value="1.234">`
that the form then refuses, a hidden input naming no row. Ids pass 1000 within weeks of real use (and
in this suite on PostgreSQL, whose sequences do not roll back with a test)."""
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
OFF = re.compile(r"{%\s*localize\s+off\s*%}.*?{%\s*endlocalize\s*%}", re.S)
# A variable ending in .pk, .id or .<name>_id (not a template's own table_id, an HTML id), and whatever filters follow it.
ID_VARIABLE = re.compile(r"{{\s*([\w.]+(?:\.pk|\.id|\.\w+_id))\s*((?:\|[^}]*)?)}}")


def _templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            yield path


def localised_ids(text):
    """(line, variable) of every id printed localised in a template's text."""
    # Blanked, not removed, so line numbers stay those of the file.
    text = OFF.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    found = []
    for match in ID_VARIABLE.finditer(text):
        filters = match.group(2)
        if "unlocalize" not in filters and "stringformat" not in filters:
            found.append((text.count("\n", 0, match.start()) + 1, match.group(1)))
    return found


def test_the_scan_sees_a_localised_id_and_passes_the_safe_forms():
    assert localised_ids('<tr id="row-{{ v.pk }}">\n<option value="{{ d.id }}">') == [(1, "v.pk"), (2, "d.id")]
    assert localised_ids('{{ v.pk|unlocalize }} {{ v.club_id|stringformat:"d" }} '
                         '{% localize off %}{{ v.pk }}{% endlocalize %}') == []


def test_no_template_prints_an_id_localised():
    offenders = [f"{path.relative_to(ROOT)}:{line} {variable}"
                 for path in _templates() for line, variable in localised_ids(path.read_text(encoding="utf-8"))]
    assert not offenders, "thêm |unlocalize:\n" + "\n".join(offenders)


def test_what_the_scan_guards_against():
    # The reason for the rule: a plain id of four digits is printed with the Vietnamese separator.
    with translation.override("vi"):
        assert Template("{{ pk }}").render(Context({"pk": 1234})) == "1.234"
        assert Template("{% load l10n %}{{ pk|unlocalize }}").render(Context({"pk": 1234})) == "1234"
