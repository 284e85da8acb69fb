"""The builds panel in a real browser, against a live server and a real worker: Build, live
progress, then the history's download links."""

import hashlib

import pytest
from django.test import Client

from designer.builds.models import Build, Status

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies["sessionid"].value
    return {"name": "sessionid", "value": value, "url": live_server.url}


def test_an_editor_builds_watches_the_progress_and_downloads_the_package(
    browser, live_server, start_worker, project, editor, tmp_path
):
    from playwright.sync_api import expect

    start_worker()
    cookie = session_cookie(editor, live_server)
    context = browser.new_context(accept_downloads=True)
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(f"{live_server.url}/projects/{project.pk}/builds/")
    expect(page.get_by_text("No builds yet.")).to_be_visible()

    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/status/" in r.url else None)
    page.get_by_role("button", name="Build plugin").click()
    # Queued or running by now (which one depends on the worker's timing), then done.
    expect(page.locator(".build-status progress")).to_be_attached()
    expect(page.locator(".build-status strong")).to_have_text("Succeeded", timeout=60_000)
    assert polls, "the progress was never polled"
    # The finished poll reloads the panel: the history now offers the downloads.
    history_link = page.locator(".build-history a", has_text=".difypkg")
    expect(history_link).to_be_visible(timeout=10_000)
    with page.expect_download() as download_info:
        history_link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    context.close()

    build = Build.objects.get()
    assert build.status == Status.SUCCEEDED
    assert saved.name == "demo-0.0.1.difypkg"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == build.package_sha256
