"""The Models page: a table of every model, searched, filtered and sorted on the server, with
each row's findings count; the table alone for htmx; Add from library for editors."""

import pytest
from django.urls import reverse

from designer.library import service
from tests.core.factories import embedding_model, llm_model, plugin_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(project):
    models = [llm_model(f"chat-{i:03}", context_size=8000 + i) for i in range(120)]
    models += [embedding_model(f"embed-{i}") for i in range(5)]
    models[7]["pricing"]["unit"] = "0.5"  # a warning on chat-007
    models[9]["parameter_rules"] = [{"name": "x", "use_template": "nonsense"}]  # an error
    project.spec = plugin_document(models)
    project.save()
    return project


def shown(client, project, **query):
    body = client.get(reverse("projects:models", args=[project.pk]), query).content.decode()
    return body, [part.split('"', 1)[0] for part in body.split('data-model-id="')[1:]]


def test_every_model_is_listed_in_position_order(client, viewer, big):
    client.force_login(viewer)
    body, ids = shown(client, big)
    assert len(ids) == 125 and ids[:2] == ["chat-000", "chat-001"]
    assert "125 of 125 models shown." in body


def test_each_row_shows_its_findings_count(client, viewer, big):
    client.force_login(viewer)
    body, ids = shown(client, big, findings="warnings")
    assert ids == ["chat-007", "chat-009"]
    row = body.split('data-model-id="chat-009"')[1].split("</tr>")[0]
    assert "1 error" in row
    _, with_errors = shown(client, big, findings="errors")
    assert with_errors == ["chat-009"]


def test_search_filters_and_sorts(client, viewer, big):
    client.force_login(viewer)
    assert shown(client, big, q="EMBED-3")[1] == ["embed-3"]
    assert len(shown(client, big, type="text-embedding")[1]) == 5
    assert shown(client, big, context_min="8118", context_max="8191")[1] == ["chat-118", "chat-119"]
    assert shown(client, big, sort="context", type="llm", order="desc")[1][0] == "chat-119"
    assert shown(client, big, sort="id", order="desc")[1][0] == "embed-4"
    body, ids = shown(client, big, q="no such model")
    assert ids == [] and "No model matches." in body


def test_htmx_gets_only_the_table(client, viewer, big):
    client.force_login(viewer)
    url = reverse("projects:models", args=[big.pk])
    body = client.get(url, {"type": "text-embedding"}, headers={"HX-Request": "true"})
    text = body.content.decode()
    assert text.lstrip().startswith("<p") or "<table" in text
    assert "<html" not in text and "preview-panel" not in text
    assert text.count('data-model-id="') == 5


def test_deprecated_and_library_rows_are_marked_and_filtered(client, editor, team, project):
    item = service.create_definition(team, llm_model("shared-chat"), editor)
    project.spec["models"].append(service.reference(item))
    project.spec["models"][1]["deprecated"] = True
    project.save()
    client.force_login(editor)
    assert shown(client, project, library="yes")[1] == ["shared-chat"]
    body, ids = shown(client, project, deprecated="yes")
    assert ids == ["demo-embed"] and 'class="badge">deprecated' in body
    assert "changed since last build" in shown(client, project)[0]


def test_editors_get_the_bulk_form_and_add_from_library(client, editor, viewer, project):
    client.force_login(editor)
    body = shown(client, project)[0]
    assert 'id="bulk-form"' in body and 'name="selected" value="1"' in body
    assert reverse("projects:pick_library", args=[project.pk]) in body
    client.force_login(viewer)
    body = shown(client, project)[0]
    assert 'id="bulk-form"' not in body and 'name="selected"' not in body
    assert "Add from library" not in body


def test_another_team_gets_404(client, outsider, project):
    client.force_login(outsider)
    assert client.get(reverse("projects:models", args=[project.pk])).status_code == 404


def test_what_a_model_says_is_escaped(client, editor, project):
    project.spec["models"][0]["model"] = '<img src=x onerror="alert(1)">'
    project.spec["models"][0]["label"] = {"en_US": "<b>bold</b>"}
    project.save()
    client.force_login(editor)
    body = shown(client, project)[0]
    assert "<img src=x" not in body and "<b>bold" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body and "&lt;b&gt;bold" in body
