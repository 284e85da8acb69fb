"""Playwright driving Debian's Chromium against a live server (`.ci/run` installs chromium)."""

import pytest
from django.conf import settings


@pytest.fixture
def signed_in_page(browser, live_server, client, editor):
    """A page whose browser carries the session of ``editor`` (a member of the team)."""
    client.force_login(editor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
