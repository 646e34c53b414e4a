"""Load the shipped list of armed actors (vocabularies/data/actors.csv) when it is present."""


from django.db import migrations



def load(apps, schema_editor):
    from kurukan.actors.loader import load_actors

    load_actors(apps.get_model("actors", "Actor"), apps.get_model("vocabularies", "Term"))


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial"), ("vocabularies", "0002_load_terms")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
