"""The ICU collation clubs.collation.vi_order uses on PostgreSQL. Servers built with ICU ship it as
"vi-x-icu"; creating it when missing keeps a server whose collations were not imported working."""
from django.db import migrations


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('CREATE COLLATION IF NOT EXISTS "vi-x-icu" (provider = icu, locale = \'vi\')')


class Migration(migrations.Migration):
    dependencies = [("clubs", "0009_club_loan_limits")]

    operations = [migrations.RunPython(create_collation, migrations.RunPython.noop)]
