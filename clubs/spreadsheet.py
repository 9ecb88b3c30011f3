"""The one rule for writing user text into Excel cells, shared by the club workbook and the annual report."""

# Excel (and openpyxl) read text starting with these as a formula: a club named =HYPERLINK(...) would
# become a live link in every workbook we hand out.
FORMULA_STARTS = ("=", "+", "-", "@")


def as_text(cell):
    """The cell, kept as typed text if its value could be read as a formula; returned for chaining."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        cell.quotePrefix = True  # and Excel keeps showing it as typed text after an edit
    return cell
