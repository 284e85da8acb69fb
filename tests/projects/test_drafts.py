"""A keystroke in a big plugin writes the model it edits and the outline, not the plugin."""

from django.db import connection

from designer.projects.models import Project, SpecPart
from tests.core.factories import llm_model, plugin_document


class Written:
    def __init__(self):
        self.bytes = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            rows = params if many else [params]
            self.bytes += sum(len(str(p)) for row in rows for p in (row or ()))
        return execute(sql, params, many, context)


def big_project(team, count=150):
    models = [llm_model(f"model-{i}") for i in range(count)]
    for model in models:
        model["label"]["zh_Hans"] = "模型 " * 100  # about 0.6 KB more per model
    document = plugin_document(models=models)
    document["files"] = {"_assets/big.png": {"base64": "iVBORw0KGgo" + "A" * 200_000}}
    return Project.objects.create(team=team, name="Big", spec=document)


def test_a_keystroke_writes_one_model_and_the_outline(client, editor, team):
    project = big_project(team)
    client.force_login(editor)
    written = Written()
    with connection.execute_wrapper(written):
        response = client.post(
            f"/projects/{project.pk}/models/75/save/",
            {"_version": project.version, "models[75].label.en_US": "Renamed"},
        )
    assert response.status_code == 200
    assert b'class="conflict"' not in response.content
    project = Project.objects.get(pk=project.pk)
    assert project.spec["models"][75]["label"]["en_US"] == "Renamed"
    assert project.spec["models"][74]["label"]["en_US"] == "Model-74"
    assert project.spec["files"]["_assets/big.png"]["base64"].startswith("iVBOR")
    whole = len(str(project.spec))
    assert whole > 300_000
    assert written.bytes < 32 * 1024, (written.bytes, whole)


def test_parts_are_shared_and_the_instance_copy_is_free_to_change(team):
    first = Project.objects.create(team=team, name="A", spec=plugin_document())
    second = Project.objects.create(team=team, name="B", spec=plugin_document())
    assert first.outline["models"] == second.outline["models"]
    first.spec["models"][0]["label"]["en_US"] = "Changed"
    first.save()
    assert Project.objects.get(pk=second.pk).spec["models"][0]["label"]["en_US"] != "Changed"
    assert Project.objects.get(pk=first.pk).spec["models"][0]["label"]["en_US"] == "Changed"
    assert SpecPart.objects.count() >= 2


def test_a_part_missing_from_a_cold_cache_is_read_from_the_database(team):
    project = Project.objects.create(team=team, name="A", spec=plugin_document())
    SpecPart.cache.clear()
    assert Project.objects.get(pk=project.pk).spec == plugin_document()
