"""Loan codes and voucher numbers saved before the rule of clubs/codes.py: repaired, kept unique."""
from django.db import migrations

from clubs.codes import repair_model


def repair(apps, schema_editor):
    repair_model(apps.get_model("funds", "Loan"), ("club_id",))
    repair_model(apps.get_model("funds", "FundEntry"), ("club_id", "fund"), field="voucher_no")


class Migration(migrations.Migration):
    dependencies = [("funds", "0004_repayment_indexes_portable"), ("clubs", "0007_repair_codes")]
    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
