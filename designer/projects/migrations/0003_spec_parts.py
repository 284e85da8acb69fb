"""Projects keep their design spec as an outline plus content-addressed parts."""

from django.db import migrations, models

from designer.core import parts


def split_specs(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    SpecPart = apps.get_model("projects", "SpecPart")
    for project in Project.objects.all():
        if parts.OUTLINE_KEY in (project.outline or {}):
            continue
        outline, new_parts = parts.split(project.outline or {})
        SpecPart.objects.bulk_create(
            [SpecPart(digest=d, data=data) for d, data in new_parts.items()],
            ignore_conflicts=True,
        )
        Project.objects.filter(pk=project.pk).update(outline=outline)


def join_specs(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    SpecPart = apps.get_model("projects", "SpecPart")

    def load(digests):
        return dict(SpecPart.objects.filter(digest__in=digests).values_list("digest", "data"))

    for project in Project.objects.all():
        Project.objects.filter(pk=project.pk).update(outline=parts.join(project.outline, load))


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_project_last_editor")]

    operations = [
        migrations.CreateModel(
            name="SpecPart",
            fields=[
                ("digest", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("data", models.JSONField()),
            ],
        ),
        migrations.RenameField(model_name="project", old_name="spec", new_name="outline"),
        migrations.RunPython(split_specs, join_specs),
    ]
