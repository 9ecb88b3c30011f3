"""Targets per area and per period (indicators.md §9). Every existing target was the plan's own: its
area becomes the plan's area. Existing rows stay annual: each was the value to reach by 31/12 of its
year (clubs_founded per year, stock figures at the year's end), which is what "annual" means."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def plan_area(apps, schema_editor):
    Plan = apps.get_model("reporting", "Plan")
    for name in ("Target", "HistoricalTarget"):
        model = apps.get_model("reporting", name)
        model.objects.filter(area__isnull=True).update(
            area_id=Subquery(Plan.objects.filter(pk=OuterRef("plan_id")).values("area_id")[:1])
        )


class Migration(migrations.Migration):

    dependencies = [
        ('clubs', '0009_club_loan_limits'),
        ('reporting', '0002_report_private_storage'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='target',
            name='target_unique',
        ),
        migrations.AddField(
            model_name='historicaltarget',
            name='area',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clubs.area', verbose_name='địa bàn'),
        ),
        migrations.AddField(
            model_name='historicaltarget',
            name='kind',
            field=models.CharField(choices=[('annual', 'hằng năm'), ('cumulative', 'cộng dồn')], default='annual', max_length=12, verbose_name='cách tính'),
        ),
        migrations.AddField(
            model_name='target',
            name='area',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='clubs.area', verbose_name='địa bàn'),
        ),
        migrations.RunPython(plan_area, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='target',
            name='area',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='clubs.area', verbose_name='địa bàn'),
        ),
        migrations.AddField(
            model_name='target',
            name='kind',
            field=models.CharField(choices=[('annual', 'hằng năm'), ('cumulative', 'cộng dồn')], default='annual', max_length=12, verbose_name='cách tính'),
        ),
        migrations.AlterField(
            model_name='historicaltarget',
            name='value',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='giá trị'),
        ),
        migrations.AlterField(
            model_name='historicaltarget',
            name='year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='năm'),
        ),
        migrations.AlterField(
            model_name='target',
            name='value',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='giá trị'),
        ),
        migrations.AlterField(
            model_name='target',
            name='year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='năm'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('year__isnull', False)), fields=('plan', 'area', 'indicator', 'year', 'track'), name='target_unique_year'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('year__isnull', True)), fields=('plan', 'area', 'indicator', 'track'), name='target_unique_period'),
        ),
    ]
