"""Playwright driving Debian's Chromium against a live server (`.ci/run` installs chromium)."""

import pytest
from django.conf import settings
from django.test import Client


def page_signed_in_as(browser, live_server, user):
    """A new browser context (its own session) signed in as ``user``; close its ``context``."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def signed_in_page(browser, live_server, editor):
    """A page whose browser carries the session of ``editor`` (a member of the team)."""
    page = page_signed_in_as(browser, live_server, editor)
    yield page
    page.context.close()
