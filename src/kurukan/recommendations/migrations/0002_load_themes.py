from django.db import migrations


def load(apps, schema_editor):
    from kurukan.recommendations.themes import load_themes

    load_themes(apps.get_model("recommendations", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
