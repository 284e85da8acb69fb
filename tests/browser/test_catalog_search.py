"""Issue 16, item 6 in a real browser: a catalog search lists the exact name first, and
"Import selected" stays in view however long the list is."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_exact_name_comes_first_and_the_import_action_stays_in_view(signed_in_page):
    page = signed_in_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/library/catalog/?q=gpt-4o", timeout=60_000)  # the whole catalog, read once
    first = page.locator("table.table tbody tr").first
    expect(first.locator("td").nth(1)).to_have_text("gpt-4o")
    first.locator("input[name=key]").check()
    import_button = page.get_by_role("button", name="Import selected")
    expect(import_button).to_be_in_viewport()
    page.locator("table.table tbody tr").nth(40).scroll_into_view_if_needed()
    expect(import_button).to_be_in_viewport()
