from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.core.archive import read_plugin_source, zip_tree
from designer.library import service
from designer.library.models import LibraryModel
from tests.core.factories import embedding_model, llm_model

pytestmark = pytest.mark.django_db

JINA = Path("/work/shared/fixtures/dify-official-plugins/jina")


def test_export_then_import_gives_the_same_definitions(client, editor, team, outsider):
    service.create_definition(team, llm_model("a-chat"), editor)
    service.create_definition(team, embedding_model("b-embed"), editor)
    client.force_login(editor)
    exported = client.get(reverse("library:export"), {"type": "llm"})
    fragment = yaml.safe_load(exported.content)
    assert fragment["spec_version"] == 1
    assert [m["model"] for m in fragment["models"]] == ["a-chat"]

    client.force_login(outsider)
    upload = SimpleUploadedFile("library-models.yaml", exported.content)
    client.post(reverse("library:upload"), {"file": upload})
    client.post(reverse("library:upload"), {"index": ["0"], "duplicates": "skip"})
    imported = LibraryModel.objects.get(team=outsider.memberships.get().team)
    assert imported.definition == llm_model("a-chat")


def test_a_plugin_is_read_and_only_the_picked_models_are_added(client, editor, team):
    client.force_login(editor)
    package = SimpleUploadedFile("jina.difypkg", zip_tree(read_plugin_source(JINA)))
    page = client.post(reverse("library:upload"), {"file": package}).content.decode()
    assert "jina-reranker-v3" in page
    picked = {"index": ["0", "1"], "duplicates": "skip"}
    added = client.post(reverse("library:upload"), picked, follow=True).content.decode()
    assert "2 added, 0 updated, 0 duplicates skipped." in added
    assert LibraryModel.objects.filter(team=team).count() == 2


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("x.yaml", b"models: [{model: m, model_type: llm, model_properties: {moood: 1}}]", "moood"),
        ("x.yaml", b"- not a fragment", "list of models"),
        ("x.zip", b"not a zip", "x.zip"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason(client, editor, name, data, reason):
    client.force_login(editor)
    response = client.post(
        reverse("library:upload"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )
    assert reason in response.content.decode()
    assert not LibraryModel.objects.exists()


def test_a_viewer_cannot_import(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("library:upload")).status_code == 403


def test_models_of_a_project_can_be_picked_into_the_library(client, editor, team, project):
    client.force_login(editor)
    page = client.post(reverse("library:upload"), {"project": project.pk}).content.decode()
    assert "demo-embed" in page
    client.post(reverse("library:upload"), {"index": ["1"], "duplicates": "skip"})
    [added] = LibraryModel.objects.filter(team=team)
    assert added.model_id == "demo-embed"
    assert "library" not in added.definition


def test_another_teams_project_cannot_be_read(client, outsider, project):
    client.force_login(outsider)
    assert client.post(reverse("library:upload"), {"project": project.pk}).status_code == 404


def test_an_upload_over_the_limit_is_refused_unread(client, editor, monkeypatch):
    from designer.library import views

    monkeypatch.setattr(views, "MAX_UPLOAD", 2**20)
    client.force_login(editor)
    big = SimpleUploadedFile("big.zip", b"x" * (2**20 + 1))
    response = client.post(reverse("library:upload"), {"file": big}, follow=True)
    assert "Cannot import big.zip: larger than 1 MB" in response.content.decode()


def test_a_project_id_that_is_not_a_number_is_not_found(client, editor):
    client.force_login(editor)
    assert client.post(reverse("library:upload"), {"project": "1; drop"}).status_code == 404
