"""Issue 16, items 3 and 4 in a real browser: each field's errors show whatever else is broken,
they are there again after a reload, and the Review checklist says what is true."""

import pytest
from playwright.sync_api import expect

from designer.projects.models import Project
from tests.core.factories import plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRICE = "models[0].pricing.input"


def error_for(page, path):
    return page.locator(f'[data-error-for="{path}"]')


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Acme", spec=plugin_document())


def test_a_broken_price_does_not_hide_a_bad_plugin_name_even_after_a_reload(
    signed_in_page, project
):
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/models/0/")
    page.fill(f'[name="{PRICE}"]', "abc")
    expect(error_for(page, PRICE)).to_contain_text("decimal number")

    page.click("nav.tabs >> text=Plugin")
    page.fill('[name="manifest.name"]', "Acme AI!")
    expect(error_for(page, "manifest.name")).to_contain_text("lowercase letters")
    expect(page.locator("#findings h3")).not_to_contain_text("0 findings here")

    page.reload()  # the draft's findings show on load, untouched fields or not
    expect(error_for(page, "manifest.name")).to_contain_text("lowercase letters")
    page.goto(f"/projects/{project.pk}/models/0/")
    expect(error_for(page, PRICE)).to_contain_text("decimal number")


def test_the_checklist_says_what_is_true_while_something_else_is_broken(signed_in_page, project):
    document = plugin_document()
    document["models"][0]["pricing"] = {"input": "abc", "output": "1", "unit": "0.000001"}
    project.spec = document
    project.save()
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/review/")
    checklist = page.locator(".checklist")
    expect(checklist.locator("li:has-text('An English README')")).to_have_class("ok")
    expect(checklist.locator("li:has-text('Icons present')")).to_have_class("ok")
    expect(checklist.locator("li:has-text('No errors')")).to_have_class("todo")
