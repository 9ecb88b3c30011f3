from django.db import migrations


def load(apps, schema_editor):
    from clubs.areas import load_areas

    load_areas(apps.get_model("clubs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("clubs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
