from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_protection_specialist"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="un_entity",
            field=models.BooleanField(default=False, verbose_name="entité des Nations Unies"),
        ),
    ]
