"""Issue 16, items 5 and 8: every page fits windows from 360 px to 1400 px without scrolling
sideways, and axe-core finds nothing serious or critical on any of them."""

import pytest

from tests.browser.conftest import page_signed_in_as
from tests.browser.site import (
    WIDTHS,
    duplicate_ids,
    horizontal_overflow,
    sample_site,
    serious_axe_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(team, owner):
    return sample_site(team, owner)


@pytest.fixture
def owner_page(browser, live_server, owner):
    page = page_signed_in_as(browser, live_server, owner)
    page.set_default_navigation_timeout(30_000)  # the catalog's 147 rows load slowly on a busy CI
    yield page
    page.context.close()


@pytest.fixture
def anonymous_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def visit_all(site, owner_page, anonymous_page):
    for pages, page in [(site.signed_in, owner_page), (site.anonymous, anonymous_page)]:
        for name, path in pages.items():
            response = page.goto(path)
            assert response.ok, f"{name} ({path}): {response.status}"
            yield name, page


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(site, owner_page, anonymous_page, width):
    for page in (owner_page, anonymous_page):
        page.set_viewport_size({"width": width, "height": 900})
    overflowing = {
        name: overflow
        for name, page in visit_all(site, owner_page, anonymous_page)
        if (overflow := horizontal_overflow(page)) > 0
    }
    assert overflowing == {}, f"scrolls sideways at {width} px (by px): {overflowing}"


def test_axe_finds_no_serious_or_critical_violation_and_no_id_twice_on_any_page(
    site, owner_page, anonymous_page
):
    found = {}
    for name, page in visit_all(site, owner_page, anonymous_page):
        problems = serious_axe_violations(page)
        problems += [f"id {id_!r} is used twice" for id_ in duplicate_ids(page)]
        if problems:
            found[name] = problems
    assert found == {}, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)
