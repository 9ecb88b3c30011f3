"""An import's result kept on its job (JSON) and read back for the preview page.

The check runs in a task and the preview is a later request, so the page shows what the task found,
not a second validation. Kept: what the preview lists (the first errors, the counts of the others, the
warnings, each sheet's counts and first rows); the marked copy of the file is made on request from the
file itself (views.errors_download)."""
from types import SimpleNamespace

WARNINGS_KEPT = 300  # what the preview lists; the count says how many there are


def _problem(p):
    return [p.sheet, p.row, p.column, p.value, p.reason]


def as_json(result):
    return {
        "problem_count": result.problem_count,
        "problems": [_problem(p) for p in result.problems],
        "more_problems": [list(m) for m in result.more_problems],
        "warning_count": len(result.warnings),
        "warnings": [_problem(p) for p in result.warnings[:WARNINGS_KEPT]],
        "saved": result.saved,
        "sheets": [{"key": s.key, "name": s.name, "headers": list(s.headers), "create": s.create, "update": s.update,
                    "unchanged": s.unchanged, "errors": s.errors, "first_rows": [list(r) for r in s.first_rows]}
                   for s in result.sheets],
    }


def _as_problem(row):
    return SimpleNamespace(sheet=row[0], row=row[1], column=row[2], value=row[3], reason=row[4])


class StoredResult:
    """The attributes of importer.Result that the preview uses, from as_json()."""

    def __init__(self, data):
        self.problem_count = data["problem_count"]
        self.problems = [_as_problem(p) for p in data["problems"]]
        self.first_problems = self.problems
        self.more_problems = [tuple(m) for m in data["more_problems"]]
        self.warnings = [_as_problem(p) for p in data["warnings"]]
        self.warning_count = data["warning_count"]
        self.saved = data["saved"]
        self.sheets = [SimpleNamespace(**s, total=s["create"] + s["update"] + s["unchanged"]) for s in data["sheets"]]

    @property
    def ok(self):
        return not self.problem_count

    @property
    def rows(self):
        return sum(s.total for s in self.sheets)

    @property
    def changes(self):
        return sum(s.create + s.update for s in self.sheets)
