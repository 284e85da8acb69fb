"""Issue 6's scenario in a real browser: import three models from the catalog (one previewed
first), use one in two plugins (from the library and from the project), build both, edit its
price while someone else has it open (their save is refused), and see both plugins marked as
changed."""

import pytest
from playwright.sync_api import expect

from designer.builds.service import snapshot_for
from designer.library.models import LibraryModel
from designer.projects.models import Project
from tests.browser.conftest import page_signed_in_as
from tests.core.factories import plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYS = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"]


def test_a_price_edit_in_the_library_marks_every_plugin_using_it(
    signed_in_page, browser, live_server, team, editor, owner, settings, tmp_path
):
    from tests.builds.factories import finished_build

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    page = signed_in_page
    page.goto("/library/catalog/?provider=openai&q=gpt-4o")
    page.click("a:text-is('gpt-4o')")  # the entry's model file, in the panel beside the list
    expect(page.locator("#catalog-preview")).to_contain_text("models/llm/gpt-4o.yaml")
    expect(page.locator("#catalog-preview")).to_contain_text("context_size: 128000")
    for key in KEYS[:2]:
        page.check(f'input[name="key"][value="{key}"]')
    page.click("text=Import selected")
    expect(page.locator(".messages")).to_contain_text("2 added")
    page.goto("/library/catalog/?q=text-embedding-3-small&provider=openai")
    page.check('input[name="key"][value="text-embedding-3-small"]')
    page.click("text=Import selected")
    expect(page.locator(".messages")).to_contain_text("1 added")
    assert sorted(LibraryModel.objects.filter(team=team).values_list("model_id", flat=True)) == (
        sorted(KEYS)
    )

    projects = [
        Project.objects.create(team=team, name=name, spec=plugin_document())
        for name in ["Plugin A", "Plugin B"]
    ]
    gpt = LibraryModel.objects.get(model_id="gpt-4o")
    for project in projects:
        if project.name == "Plugin A":  # from the library's page
            page.goto(f"/library/{gpt.pk}/")
            page.select_option("#use-project", str(project.pk))
            page.click("form:has(#use-project) button[type=submit]")
        else:  # from the project's side
            page.goto(f"/library/for-project/{project.pk}/")
            page.click(f"tr[data-library-id='{gpt.pk}'] >> text=Add by reference")
            expect(page.locator(f"tr[data-library-id='{gpt.pk}']")).to_contain_text("in the plugin")
        project.refresh_from_db()
        finished_build(project, data=project.name.encode(), snapshot=snapshot_for(project))
        page.goto(f"/projects/{project.pk}/models/")
        expect(page.locator(".model-item[data-model-id='gpt-4o']")).not_to_contain_text(
            "changed since last build"
        )

    page.goto(f"/library/{gpt.pk}/")
    other = page_signed_in_as(browser, live_server, owner)
    other.goto(f"/library/{gpt.pk}/")
    page.fill('[name="definition.pricing.input"]', "2.25")
    page.click("button:has-text('Save')")
    expect(page.locator(".messages")).to_contain_text("revision 2")
    other.fill('[name="definition.pricing.input"]', "3")
    other.click("button:has-text('Save')")  # opened before revision 2: refused, both shown
    expect(other.locator("h1")).to_contain_text("Not saved")
    expect(other.locator("table.diff")).to_contain_text("2.25")
    expect(other.locator("table.diff")).to_contain_text("3")
    other.context.close()
    gpt.refresh_from_db()
    assert gpt.definition["pricing"]["input"] == "2.25"
    expect(page.locator("section:has(h2:text('Used by')) li")).to_have_count(2)
    for item in page.locator("section:has(h2:text('Used by')) li").all():
        expect(item).to_contain_text("changed since last build")

    for project in projects:
        page.goto(f"/projects/{project.pk}/models/")
        expect(page.locator(".model-item[data-model-id='gpt-4o']")).to_contain_text(
            "changed since last build"
        )
    page.goto("/library/?used=yes")
    expect(page.locator("table")).to_contain_text("Plugin A")
    expect(page.locator("table")).to_contain_text("Plugin B")
