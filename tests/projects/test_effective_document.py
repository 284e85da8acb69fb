"""Every page of a project reads one document: its stored spec with library references resolved
to the definitions as they are now. A form still saves exactly its edit to the stored spec."""

import pytest
from django.urls import reverse

from designer.library import service
from designer.library.models import LibraryModel
from designer.projects.document import effective_document
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db

COUNTS = "(1 error, 1 warning in the plugin)"


@pytest.fixture
def referenced(team, editor, project):
    """The project uses a library definition by reference; since then the definition gained
    an unknown parameter template (an error) and a negative context size (a warning)."""
    item = service.create_definition(team, llm_model("u-chat"), editor)
    project.spec["models"].append(service.reference(item))
    project.save()
    broken = llm_model("u-chat", context_size=-5)
    broken["parameter_rules"] = [{"name": "x", "use_template": "nonsense"}]
    LibraryModel.objects.filter(pk=item.pk).update(definition=broken)
    return item


def test_the_effective_document_has_the_definition_as_it_is_now(project, referenced):
    model = effective_document(project)["models"][2]
    assert model["model_properties"]["context_size"] == -5
    assert model["library"] == str(referenced.pk)
    assert project.spec["models"][2]["model_properties"]["context_size"] == 8192


@pytest.mark.parametrize("name", ["projects:plugin", "projects:provider", "projects:models"])
def test_a_library_definitions_findings_count_on_every_section_page(
    client, viewer, project, referenced, name
):
    client.force_login(viewer)
    body = client.get(reverse(name, args=[project.pk])).content.decode()
    assert COUNTS in body


def test_the_referenced_models_page_shows_its_findings_here(client, viewer, project, referenced):
    client.force_login(viewer)
    body = client.get(reverse("projects:model", args=[project.pk, 2])).content.decode()
    assert "models[2].parameter_rules[0].use_template" in body
    assert "models[2].model_properties.context_size" in body


def test_review_counts_the_same(client, viewer, project, referenced):
    client.force_login(viewer)
    body = client.get(reverse("projects:review", args=[project.pk])).content.decode()
    assert "1 error, 1 warning" in body


def test_autosave_previews_the_effective_document_and_saves_only_the_edit(
    client, editor, project, referenced
):
    client.force_login(editor)
    stored_reference = project.spec["models"][2]
    url = reverse("projects:save", args=[project.pk, "plugin"])
    data = {"_version": project.version, "manifest.label.en_US": "Renamed AI"}
    body = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert COUNTS in body
    project.refresh_from_db()
    assert project.spec["manifest"]["label"]["en_US"] == "Renamed AI"
    assert project.spec["models"][2] == stored_reference  # still the reference as it was


def test_a_build_snapshot_is_the_effective_document(project, referenced):
    from designer.builds.service import snapshot_for

    assert snapshot_for(project) == effective_document(project)
