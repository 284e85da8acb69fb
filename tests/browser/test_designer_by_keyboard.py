"""Issue 16, items 5, 7 and 8 in detail: the catalog's columns stay readable beside its preview,
focus is visible, errors are read with their input and announced, and the designer works with
the keyboard alone."""

import pytest
from playwright.sync_api import expect

from designer.projects.models import Project
from tests.core.factories import plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Acme AI", spec=plugin_document())


def test_the_preview_never_covers_the_catalogs_columns_at_1400_px(signed_in_page):
    page = signed_in_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/library/catalog/?q=gpt-4o", timeout=30_000)  # many rows: slow on a busy CI
    for column in ["Context", "Price per 1M", "Notes"]:
        header = page.locator(f"th:has-text('{column}')")
        header.scroll_into_view_if_needed()  # inside the table's own scrolling box if need be
        box = header.bounding_box()
        at_centre = f"document.elementFromPoint({box['x'] + box['width'] / 2}, {box['y'] + 5})"
        assert page.evaluate(f"{at_centre}.closest('th')?.textContent") == header.text_content()
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


def test_forms_come_above_the_preview_in_a_narrow_window(signed_in_page, project):
    page = signed_in_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"/projects/{project.pk}/")
    form = page.locator("#section-form").bounding_box()
    preview = page.locator(".preview-panel").bounding_box()
    assert preview["y"] >= form["y"] + form["height"]
    assert form["width"] <= 360 and preview["width"] <= 360


def test_focus_is_visible_and_the_favicon_is_served(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert outline != "none" and width >= 2
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(icon)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


def test_an_error_is_the_inputs_description_and_the_findings_are_announced(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/")
    version = page.locator('[name="manifest.version"]')
    version.fill("1.0")
    error = page.locator('[data-error-for="manifest.version"]')
    expect(error).not_to_be_empty()
    expect(version).to_have_accessible_description(error.text_content())
    expect(page.locator("#findings-status[role=status]")).to_contain_text("1 finding here")
    expect(page.locator('[name="manifest.name"]')).to_have_accessible_description(
        "Lowercase letters, digits, - and _."
    )


def test_a_new_rule_row_describes_its_inputs_with_its_own_ids(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/models/0/")
    page.click(".template-buttons >> text=custom rule")
    page.click(".template-buttons >> text=custom rule")
    rules = "models[0].parameter_rules"
    for index in (4, 5):
        name = page.locator(f'[name="{rules}[{index}].name"]')
        described = name.get_attribute("aria-describedby")
        assert described == f"f-models-0--parameter_rules-{index}--name-error"
        expect(page.locator(f"#{described}")).to_have_count(1)


def test_a_model_is_added_and_opened_with_the_keyboard_alone(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/models/")
    page.locator("#new-model-type").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "new-model-id"
    page.keyboard.type("acme-mini")
    page.keyboard.press("Enter")  # submits the add form
    expect(page.locator("main")).to_contain_text("acme-mini")
    project.refresh_from_db()
    assert "acme-mini" in [model["model"] for model in project.spec["models"]]
    page.goto(f"/projects/{project.pk}/models/")
    page.locator(".model-item[data-model-id='acme-mini'] a").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Model acme-mini")


# How an input looks: its border, corners, padding, type size and height.
LOOK = """el => { const s = getComputedStyle(el);
    return [s.borderTopColor, s.borderRadius, s.paddingLeft, s.fontSize, s.height]; }"""


def test_sign_up_and_library_tags_fields_look_like_the_designers(
    browser, live_server, signed_in_page, project, team, editor
):
    from designer.library import service
    from tests.core.factories import llm_model

    page = signed_in_page
    page.goto(f"/projects/{project.pk}/")
    designer_field = page.locator('[name="manifest.label.en_US"]').evaluate(LOOK)
    item = service.create_definition(team, llm_model("acme-chat"), editor)
    page.goto(f"/library/{item.pk}/")
    assert page.locator("#library-tags").evaluate(LOOK) == designer_field
    context = browser.new_context(base_url=live_server.url)
    signup = context.new_page()
    signup.goto("/accounts/signup/")
    signup.evaluate("document.activeElement.blur()")  # the first field has autofocus
    for field in signup.locator("form input:not([type=hidden])").all():
        assert field.evaluate(LOOK) == designer_field
    context.close()
