"""A person edits every model at once on the Models page and takes it back with Undo."""

import pytest
from playwright.sync_api import expect

from designer.projects.models import Project
from tests.core.factories import llm_model, plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_undo_in_the_message_takes_a_bulk_edit_back(signed_in_page, team):
    models = [llm_model(f"acme-chat-{i:02}") for i in range(12)]
    project = Project.objects.create(team=team, name="Acme", spec=plugin_document(models))
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/models/")
    page.check("[data-select-all]")
    page.click("#bulk-form button:has-text('Mark deprecated')")
    expect(page.locator(".messages")).to_contain_text("Marked as deprecated 12 models")
    page.locator(".messages").get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Undone: Marked as deprecated 12 models")
    expect(page.locator(".last-change")).to_have_count(0)
    project.refresh_from_db()
    assert not any(model.get("deprecated") for model in project.spec["models"])
