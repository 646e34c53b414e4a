"""LinkageRun takes the shared job-run shape (`kurukan.jobs.JobRun`).

The old free-text error becomes the stage message, and `error` keeps an exception type name only.
"""

from django.db import migrations, models


def _error_to_stage(apps, schema_editor):
    runs = apps.get_model("duplicates", "LinkageRun").objects.exclude(error="")
    for run in runs.only("pk", "error"):
        runs.filter(pk=run.pk).update(stage=run.error[:200], error="")


class Migration(migrations.Migration):
    dependencies = [
        ("duplicates", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="linkagerun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="linkagerun",
            name="stage",
            field=models.CharField(blank=True, max_length=200, verbose_name="étape"),
        ),
        migrations.AddField(
            model_name="linkagerun",
            name="worker",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(_error_to_stage, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="linkagerun",
            name="error",
            field=models.CharField(blank=True, max_length=100, verbose_name="erreur"),
        ),
        migrations.AlterField(
            model_name="linkagerun",
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
