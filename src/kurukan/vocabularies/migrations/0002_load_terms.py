"""Load the shipped vocabularies so that every new database has every term from its first migration."""

from django.db import migrations


def load(apps, schema_editor):
    from kurukan.vocabularies.loader import load_vocabularies

    load_vocabularies(apps.get_model("vocabularies", "Term"))


class Migration(migrations.Migration):
    dependencies = [("vocabularies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
