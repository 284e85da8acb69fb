"""The playground's message box in a real browser, under the app's CSP: a message the server
took is cleared for the next one (the box keeps the focus); a refused one stays to be sent again."""

import pytest
from playwright.sync_api import expect

from designer.projects.models import Project
from tests.core.factories import llm_model, plugin_document
from tests.generated.fake_openai import GOOD_KEY
from tests.playground.conftest import allowed_local, eager_tasks, fake  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat_page(signed_in_page, team, fake, allowed_local, eager_tasks):  # noqa: F811
    project = Project.objects.create(
        team=team, name="Demo", spec=plugin_document([llm_model("gpt-4o-mini")])
    )
    page = signed_in_page
    page.goto(f"/projects/{project.pk}/models/0/")
    page.fill("#credential-chat-api_key", GOOD_KEY)
    page.fill("#credential-chat-endpoint_url", fake.url)
    return page


def send(page, message: str):
    """Type ``message`` in the message box and send it; returns the box."""
    box = page.locator("#chat-message")
    box.fill(message)
    page.click("#chat-form button:has-text('Send')")
    return box


def test_a_sent_message_leaves_the_box_empty_for_the_next(chat_page):
    box = send(chat_page, "hello there")
    expect(chat_page.locator("#chat-transcript")).to_contain_text("echo: hello there")
    expect(box).to_have_value("")
    expect(box).to_be_focused()

    send(chat_page, "and again")
    expect(chat_page.locator("#chat-transcript")).to_contain_text("echo: and again")
    expect(box).to_have_value("")


def test_a_refused_message_stays_in_the_box(chat_page, settings):
    settings.TRYOUT_RATE_LIMIT = 0
    box = send(chat_page, "hello there")
    expect(chat_page.locator("#chat-transcript [role=alert]")).to_contain_text("its limit")
    expect(box).to_have_value("hello there")
