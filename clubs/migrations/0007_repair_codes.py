"""Codes saved before the rule of clubs/codes.py (a `/` broke every list): repaired, kept unique."""
from django.db import migrations

from clubs.codes import repair_model


def repair(apps, schema_editor):
    repair_model(apps.get_model("clubs", "Club"), ())
    repair_model(apps.get_model("clubs", "Member"), ("club_id",))


class Migration(migrations.Migration):
    dependencies = [("clubs", "0006_submission_token_demo_record")]
    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
