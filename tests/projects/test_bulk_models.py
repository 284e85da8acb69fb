"""Bulk edits from the Models page: one save of the draft for each, a message saying what
changed, a concurrent save refused, the library reached by send and link."""

import pytest
from django.urls import reverse

from designer.library import service
from designer.library.models import LibraryModel
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db


def post(client, project, action, selected, **data):
    url = reverse("projects:bulk_models", args=[project.pk])
    data = {"_version": project.version, "action": action, "selected": selected, **data}
    return client.post(url, data, follow=True)


def page_text(response) -> str:
    return response.content.decode()


def rule_names(models) -> list[str]:
    return [rule["name"] for rule in models[0]["parameter_rules"]]


CHECKS = {
    "add-feature": ({"feature": "vision"}, lambda m: "vision" in m[0]["features"]),
    "remove-feature": ({"feature": "tool-call"}, lambda m: "tool-call" not in m[0]["features"]),
    "clear-features": ({}, lambda m: "features" not in m[0]),
    "add-rule": ({"template": "top_k"}, lambda m: rule_names(m)[-1] == "top_k"),
    "replace-rule": ({"template": "max_tokens"}, lambda m: "max" not in m[0]["parameter_rules"][2]),
    "remove-rule": ({"template": "top_p"}, lambda m: "top_p" not in rule_names(m)),
    "set-pricing": ({"currency": "EUR"}, lambda m: m[1]["pricing"]["currency"] == "EUR"),
    "deprecate": ({}, lambda m: m[0]["deprecated"] is True and m[1]["deprecated"]),
    "delete": ({}, lambda m: m == []),
}  # fmt: skip


@pytest.mark.parametrize("action", CHECKS)
def test_each_edit_is_one_save_with_a_message(client, editor, project, action):
    options, check = CHECKS[action]
    client.force_login(editor)
    version = project.version
    response = post(client, project, action, ["0", "1"], **options)
    project.refresh_from_db()
    assert project.version == version + 1
    assert check(project.spec["models"])
    assert 'class="success"' in page_text(response)


def test_moves_reorder_the_models_of_a_type(client, editor, project):
    project.spec["models"].append(llm_model("late-chat"))
    project.save()
    client.force_login(editor)
    response = post(client, project, "move-top", ["2"])
    project.refresh_from_db()
    assert [m["model"] for m in project.spec["models"]] == ["late-chat", "demo-embed", "demo-chat"]
    assert "Moved 1 model to the top." in page_text(response)


def test_the_message_says_what_changed_and_the_filters_stay(client, editor, project):
    client.force_login(editor)
    response = post(client, project, "add-feature", ["0", "1"], feature="vision", shown="q=demo")
    assert response.redirect_chain[-1][0].endswith("/models/?q=demo")
    assert "Added vision to 2 models." in page_text(response)


def test_a_save_since_the_page_was_loaded_is_not_overwritten(client, editor, project):
    client.force_login(editor)
    url = reverse("projects:bulk_models", args=[project.pk])
    loaded = project.version
    project.spec["models"][0]["label"] = {"en_US": "Someone else's"}
    project.version += 1
    project.save()
    response = client.post(
        url, {"_version": loaded, "action": "delete", "selected": ["0"]}, follow=True
    )
    project.refresh_from_db()
    assert len(project.spec["models"]) == 2
    assert project.spec["models"][0]["label"] == {"en_US": "Someone else's"}
    assert "Not saved: someone else saved this project" in page_text(response)


def test_bad_input_changes_nothing_and_says_why(client, editor, project):
    client.force_login(editor)
    version = project.version
    assert "select at least one model" in page_text(post(client, project, "deprecate", []))
    response = post(client, project, "add-feature", ["0"], feature="telepathy")
    assert "Nothing changed: choose a feature." in page_text(response)
    project.refresh_from_db()
    assert project.version == version


def test_a_viewer_is_refused_and_another_team_gets_404(client, viewer, outsider, project):
    for user, status in [(viewer, 403), (outsider, 404)]:
        client.force_login(user)
        url = reverse("projects:bulk_models", args=[project.pk])
        response = client.post(
            url, {"_version": project.version, "action": "delete", "selected": "0"}
        )
        assert response.status_code == status
    project.refresh_from_db()
    assert len(project.spec["models"]) == 2


def test_sending_copies_own_models_to_the_library_and_leaves_the_draft(
    client, editor, team, project
):
    service.create_definition(team, llm_model("demo-chat"), editor)
    client.force_login(editor)
    version = project.version
    response = post(client, project, "send-to-library", ["0", "1"])
    assert "Sent 1 to the team library; 1 it had already" in page_text(response)
    sent = LibraryModel.objects.get(team=team, model_id="demo-embed")
    assert sent.definition == project.spec["models"][1]
    project.refresh_from_db()
    assert project.version == version


def test_linking_makes_references_to_the_definitions_of_the_same_type_and_id(
    client, editor, team, project
):
    item = service.create_definition(team, llm_model("demo-chat", context_size=32000), editor)
    project.spec["models"][0]["path"] = "models/llm/chat.yaml"
    project.save()
    client.force_login(editor)
    response = post(client, project, "link-to-library", ["0", "1"])
    text = page_text(response)
    assert "Linked 1 to the team library" in text and "1 the library does not have" in text
    project.refresh_from_db()
    linked = project.spec["models"][0]
    assert linked["library"] == str(item.pk) and linked["path"] == "models/llm/chat.yaml"
    assert "library" not in project.spec["models"][1]
    again = post(client, project, "link-to-library", ["0"])
    assert "already follow the library" in page_text(again)
