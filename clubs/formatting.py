"""Vietnamese money and text conventions shared by forms, pages, exports and the PDF."""
import re
import unicodedata


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
