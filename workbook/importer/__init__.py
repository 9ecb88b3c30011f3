"""The workbook import: `import_workbook` validates every sheet of a file and saves it in one go.

The package holds one module per sheet (clubs, members, loans, repayments, entries, activities,
meetings, health), the shared cell parsing (parsing.py) and the import itself (base.py).
"""
from .base import WorkbookImport, import_workbook
from .parsing import PREVIEW_ERRORS, PREVIEW_FIRST, PREVIEW_ROWS, SHEET_PAGE, Problem, Result, SheetSummary, display, parse_cell

__all__ = ["PREVIEW_ERRORS", "PREVIEW_FIRST", "PREVIEW_ROWS", "SHEET_PAGE", "Problem", "Result", "SheetSummary", "WorkbookImport", "display",
           "import_workbook", "parse_cell"]
