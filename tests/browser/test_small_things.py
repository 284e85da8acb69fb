"""Issue 16, item 7 in a real browser: template defaults as placeholders, the manifest's tags,
a word after an icon upload and a PRIVACY save (in a box big enough to write in), Build in view
on Review, and the two downloads explained."""

import pytest
from playwright.sync_api import expect

from designer.projects.models import Project
from tests.core.factories import plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<rect width="64" height="64" fill="#336699"/></svg>'
)


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Acme", spec=plugin_document())


def test_a_template_rule_shows_the_templates_values_as_placeholders(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/models/0/")
    rows = page.locator("[data-rows$='parameter_rules'] > [data-row]")
    before = rows.count()
    page.click(".template-buttons >> text=temperature")
    base = f"models[0].parameter_rules[{before}]"
    expect(page.locator(f'[name="{base}.default:auto"]')).to_have_attribute(
        "placeholder", "0 (template)"
    )
    expect(page.locator(f'[name="{base}.max:number"]')).to_have_attribute(
        "placeholder", "1 (template)"
    )
    expect(page.locator("#preview-text")).to_contain_text("use_template: temperature")
    page.reload()
    expect(page.locator(f'[name="{base}.min:number"]')).to_have_attribute(
        "placeholder", "0 (template)"
    )


def test_the_manifest_tags_are_chosen_from_difys_list(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/")
    page.check('[name="manifest.tags:picks"][value="utilities"]')
    expect(page.locator("#preview-text")).to_contain_text("- utilities")
    project.refresh_from_db()
    assert project.spec["manifest"]["tags"] == ["utilities"]


def test_an_icon_upload_and_a_privacy_save_say_they_happened(signed_in_page, project):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/")
    page.set_input_files(
        "#icon-file", files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": SVG}]
    )
    page.click("#icon button:has-text('Upload')")
    expect(page.locator(".messages")).to_contain_text("Icon uploaded")

    privacy = page.get_by_label("PRIVACY.md")
    assert int(privacy.get_attribute("rows")) >= 12
    privacy.fill("# Privacy\n\nWe keep nothing.")
    page.click("button:has-text('Save PRIVACY.md')")
    expect(page.locator(".messages")).to_contain_text("PRIVACY.md saved")
    expect(page.get_by_label("PRIVACY.md")).to_have_value("# Privacy\n\nWe keep nothing.\n")


def test_build_is_in_view_on_review_and_the_two_downloads_are_explained(signed_in_page, project):
    page = signed_in_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"/projects/{project.pk}/review/")
    expect(page.get_by_role("button", name="Build plugin")).to_be_in_viewport()
    downloads = page.locator("#downloads")
    expect(downloads).to_contain_text("Source zip")
    expect(downloads).to_contain_text("byte-identical")
