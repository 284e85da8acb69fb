"""A person imports an existing plugin in a real browser, edits many of its models at once on
the Models page, builds it with a real worker and downloads the package (issue 11)."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from designer.builds.models import Build, Status
from designer.core.pipeline import run_pipeline
from designer.core.yamlio import load_yaml
from tests.builds.conftest import (  # noqa: F401 (fixtures: a real worker and its broker)
    plugins_out,
    private_broker,
    start_worker,
    worker_queue,
)
from tests.core.factories import llm_model, plugin_document

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def plugin_zip(tmp_path):
    """A plugin as its author has it: a source zip with 12 chat models."""
    document = plugin_document([llm_model(f"acme-chat-{i:02}") for i in range(12)])
    path = tmp_path / "acme.zip"
    path.write_bytes(run_pipeline(document, package=True).source_zip)
    return path


def test_a_person_imports_a_plugin_edits_its_models_together_builds_and_downloads(
    signed_in_page,
    start_worker,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    page = signed_in_page
    start_worker()
    page.goto("/projects/import/")
    page.set_input_files("#plugin-file", str(plugin_zip(tmp_path)))
    page.click("button:has-text('Import')")
    expect(page.locator(".messages")).to_contain_text("Imported Demo AI")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Models").click()
    expect(page.locator(".models-count")).to_have_text("12 of 12 models shown.")
    page.fill("[aria-label='Search id or label']", "chat-0")  # htmx filters as one types
    expect(page.locator(".models-count")).to_have_text("10 of 12 models shown.")
    page.check("[data-select-all]")
    page.select_option("[aria-label='Feature to add or remove']", "vision")
    page.click("#bulk-form fieldset:has-text('Features') button:has-text('Add')")
    expect(page.locator(".messages")).to_contain_text("Added vision to 10 models.")
    page.fill("[aria-label='Search id or label']", "")
    expect(page.locator(".models-count")).to_have_text("12 of 12 models shown.")
    page.select_option("select[name='feature'][aria-label='Feature']", "vision")
    expect(page.locator(".models-count")).to_have_text("10 of 12 models shown.")
    page.check("input[aria-label='Select acme-chat-09']")
    page.click("#bulk-form button:has-text('To the top')")
    expect(page.locator(".messages")).to_contain_text("Moved 1 model to the top.")
    expect(page.locator(".model-item").first).to_have_attribute("data-model-id", "acme-chat-09")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Review").click()
    page.get_by_role("button", name="Build plugin").click()
    expect(page.locator(".build-status strong")).to_have_text("Succeeded", timeout=90_000)
    link = page.locator(".build-history a", has_text=".difypkg")
    expect(link).to_be_visible(timeout=10_000)
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)

    assert Build.objects.get().status == Status.SUCCEEDED
    package = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    chat = load_yaml(package.read("models/llm/acme-chat-03.yaml"), "chat")
    assert "vision" in chat["features"]
    assert "vision" not in load_yaml(package.read("models/llm/acme-chat-10.yaml"), "x")["features"]
    positions = load_yaml(package.read("models/llm/_position.yaml"), "positions")
    assert positions[0] == "acme-chat-09"
