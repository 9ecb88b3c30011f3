"""Loading the administrative units shipped in clubs/data (see SOURCE.md there)."""
import csv
import datetime
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def load_areas(Area):
    """Create or update every unit; idempotent. Takes the model class so migrations can pass theirs."""
    rows = list(csv.DictReader((DATA_DIR / "laichau_units.csv").open(encoding="utf-8")))
    # Parents before children; a code is looked up with its parent's level because codes repeat across levels.
    parent_level = {"province": None, "district": "province", "legacy_commune": "district", "commune": "district"}
    by_key = {}
    for level in ("province", "district", "legacy_commune", "commune"):
        for row in (r for r in rows if r["level"] == level):
            parent = by_key.get((parent_level[level], row["parent_code"])) if row["parent_code"] else None
            area, _ = Area.objects.update_or_create(
                level=level,
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "kind": row["kind"],
                    "parent": parent,
                    "valid_from": _date(row["valid_from"]),
                    "valid_to": _date(row["valid_to"]),
                },
            )
            by_key[(level, row["code"])] = area
    for row in csv.DictReader((DATA_DIR / "laichau_commune_succession.csv").open(encoding="utf-8")):
        legacy = by_key[("legacy_commune", row["legacy_code"])]
        legacy.successor = by_key[("commune", row["new_code"])]
        legacy.save(update_fields=["successor"])
