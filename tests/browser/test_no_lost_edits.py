"""Issue 16, items 1 and 2 in a real browser: Back never brings back a form older than the
draft, a save from such a form is refused, and "Leave site?" asks only about a change that
has not been saved."""

import re

import pytest
from playwright.sync_api import expect

from designer.editor.context import new_model
from designer.library import service
from designer.projects.models import Project
from tests.core.factories import plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "manifest.label.en_US"
DESCRIPTION = "manifest.description.en_US"


def field(page, name):
    return page.locator(f'[name="{name}"]')


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Acme", spec=plugin_document())


def saved_label(project) -> str:
    project.refresh_from_db()
    return project.spec["manifest"]["label"]["en_US"]


def change_and_wait_for_the_save(page, name, value):
    field(page, name).fill(value)
    expect(page.locator("#preview-text")).to_contain_text(value)


def test_back_after_a_saved_change_shows_it_and_a_later_edit_keeps_it(signed_in_page, project):
    page = signed_in_page
    response = page.goto(f"/projects/{project.pk}/")
    assert "no-store" in response.headers["cache-control"]
    change_and_wait_for_the_save(page, LABEL, "First change")
    page.click("nav.tabs >> text=Provider")
    expect(page).to_have_url(re.compile(r"/provider/$"))
    page.go_back()
    expect(field(page, LABEL)).to_have_value("First change")
    change_and_wait_for_the_save(page, DESCRIPTION, "Second change")
    page.reload()
    expect(field(page, LABEL)).to_have_value("First change")
    expect(field(page, DESCRIPTION)).to_have_value("Second change")
    assert saved_label(project) == "First change"


def test_a_save_from_a_stale_copy_of_the_page_is_refused(signed_in_page, project):
    page = signed_in_page
    url = f"/projects/{project.pk}/"
    stale_html = page.goto(url).text()
    change_and_wait_for_the_save(page, LABEL, "First change")
    # The page as a cache that kept it would show it again: the form from before the save.
    page.route(f"**{url}", lambda route: route.fulfill(body=stale_html, content_type="text/html"))
    page.goto(url)
    page.unroute(f"**{url}")
    expect(field(page, LABEL)).to_have_value("Demo AI")
    field(page, DESCRIPTION).fill("Second change")
    expect(page.locator("#preview .conflict")).to_contain_text("someone else saved")
    assert saved_label(project) == "First change"


def record_dialogs(page) -> list[str]:
    """Every dialog's type, accepted (so a navigation that asked goes on)."""
    seen: list[str] = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    return seen


def test_leaving_asks_only_while_a_change_is_not_saved(signed_in_page, project):
    page = signed_in_page
    dialogs = record_dialogs(page)
    page.goto(f"/projects/{project.pk}/")
    change_and_wait_for_the_save(page, LABEL, "Saved change")
    page.click("nav.tabs >> text=Provider")  # the field's blur sends a change event too
    expect(page).to_have_url(re.compile(r"/provider/$"))
    assert dialogs == []

    page.route("**/save/**", lambda route: route.abort())  # this change cannot be saved
    field(page, "code.base_url").fill("https://api.unsaved.example/v1")
    page.click("nav.tabs >> text=Models")
    expect(page).to_have_url(re.compile(r"/models/$"))
    assert dialogs == ["beforeunload"]


def test_an_explicit_save_in_the_library_never_asks(signed_in_page, team, editor):
    page = signed_in_page
    item = service.create_definition(team, new_model("llm", "acme-chat"), editor)
    dialogs = record_dialogs(page)
    page.goto(f"/library/{item.pk}/")
    page.fill('[name="definition.pricing.input"]', "2.25")
    expect(page.locator("#preview-text")).to_contain_text("2.25")
    page.click("button:has-text('Save')")
    expect(page.locator(".messages")).to_contain_text("revision 2")
    assert dialogs == []
    item.refresh_from_db()
    assert item.definition["pricing"]["input"] == "2.25"
