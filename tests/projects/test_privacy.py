import pytest
from django.urls import reverse

from designer.core.render import render
from designer.core.validation import validate

pytestmark = pytest.mark.django_db


def test_a_written_privacy_policy_ships_in_the_plugin_and_ticks_the_checklist(
    client, editor, project
):
    client.force_login(editor)
    client.post(reverse("projects:privacy", args=[project.pk]), {"privacy": "We keep nothing."})
    project.refresh_from_db()
    assert render(validate(project.spec).spec)["PRIVACY.md"] == b"We keep nothing.\n"
    review = client.get(reverse("projects:review", args=[project.pk])).content.decode()
    assert '<li class="ok">✓ <a href="/projects/' in review


def test_an_empty_policy_goes_back_to_the_generated_one(client, editor, project):
    client.force_login(editor)
    url = reverse("projects:privacy", args=[project.pk])
    client.post(url, {"privacy": "Ours."})
    client.post(url, {"privacy": "  "})
    project.refresh_from_db()
    assert "PRIVACY.md" not in project.spec["files"]
    assert b"Privacy policy of" in render(validate(project.spec).spec)["PRIVACY.md"]
