"""Vietnamese money and text conventions shared by forms, pages, exports and the PDF."""
import re
import unicodedata
from decimal import Decimal


def format_vnd(amount, unit=True):
    """15000000 -> '15.000.000 đ' (whole đồng, '.' as thousands separator)."""
    if amount is None or amount == "":
        return ""
    text = f"{int(amount):,}".replace(",", ".")
    return f"{text} đ" if unit else text


_MONEY_RE = re.compile(r"^-?\d{1,3}(\.\d{3})+$|^-?\d+$")


def parse_vnd(text):
    """'15.000.000', '15000000', '15.000.000 đ' -> 15000000. Raises ValueError on anything else."""
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError(text)
        return int(text)
    cleaned = str(text).strip().replace("\u00a0", " ").removesuffix("đ").removesuffix("VNĐ").strip().replace(" ", "")
    if not _MONEY_RE.match(cleaned):
        raise ValueError(text)
    return int(cleaned.replace(".", ""))


def fold(text):
    """Lower case without Vietnamese diacritics: 'Nguyễn Đào' -> 'nguyen dao'."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def percent_1dp(part, whole):
    """100·part/whole rounded half-up to one decimal in integers (indicators.md §5), as a Decimal;
    0.0 when whole is 0. Integer arithmetic so 69,95% never becomes 70,0% by float error."""
    if not whole:
        return Decimal("0.0")
    tenths = (2000 * part + whole) // (2 * whole)
    return (Decimal(tenths) / 10).quantize(Decimal("0.1"))


def format_percent(value):
    """Decimal('65.5') -> '65,5%' (Vietnamese decimal comma)."""
    return f"{value:.1f}".replace(".", ",") + "%"
