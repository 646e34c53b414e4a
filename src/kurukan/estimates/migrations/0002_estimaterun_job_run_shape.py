"""EstimateRun takes the shared job-run shape (`kurukan.jobs.JobRun`).

The old free-text error becomes the stage message, and `error` keeps an exception type name only.
"""

from django.db import migrations, models


def _error_to_stage(apps, schema_editor):
    runs = apps.get_model("estimates", "EstimateRun").objects.exclude(error="")
    for run in runs.only("pk", "error"):
        runs.filter(pk=run.pk).update(stage=run.error[:200], error="")


class Migration(migrations.Migration):
    dependencies = [
        ("estimates", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="estimaterun",
            old_name="created_by",
            new_name="requested_by",
        ),
        migrations.AddField(
            model_name="estimaterun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="estimaterun",
            name="stage",
            field=models.CharField(blank=True, max_length=200, verbose_name="étape"),
        ),
        migrations.AddField(
            model_name="estimaterun",
            name="worker",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="estimaterun",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="demandé le"),
        ),
        migrations.RunPython(_error_to_stage, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="estimaterun",
            name="error",
            field=models.CharField(blank=True, max_length=100, verbose_name="erreur"),
        ),
        migrations.AlterField(
            model_name="estimaterun",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="terminé le"),
        ),
        migrations.AlterField(
            model_name="estimaterun",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="commencé le"),
        ),
        migrations.AlterField(
            model_name="estimaterun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "En attente"),
                    ("running", "En cours"),
                    ("done", "Terminé"),
                    ("failed", "Échec"),
                    ("interrupted", "Interrompu"),
                ],
                default="queued",
                max_length=12,
                verbose_name="statut",
            ),
        ),
    ]
