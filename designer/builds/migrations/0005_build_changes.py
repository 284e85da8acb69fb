from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("builds", "0004_build_offline"),
    ]

    operations = [
        migrations.AddField(
            model_name="build",
            name="changes",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
