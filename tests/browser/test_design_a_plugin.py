"""A person designs a plugin from nothing in a real browser, as issue 4 describes."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from designer.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULES = "models[0].parameter_rules"


ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "var" / "test-artifacts")
)


def snap(page, step: str) -> None:
    """Keep a screenshot of each step (a test artifact, under var/test-artifacts/ by default)."""
    folder = ARTIFACTS / "design-a-plugin"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{step}.png"), full_page=True)


def field(page, name):
    return page.locator(f'[name="{name}"]')


def add_model(page, model_type, model_id):
    page.click("nav.tabs >> text=Models")
    page.select_option("#new-model-type", model_type)
    page.fill("#new-model-id", model_id)
    page.click("text=Add model")
    expect(page.locator("#preview")).to_contain_text(model_id)  # the new model's editor


def test_a_person_designs_a_plugin_and_reviews_its_files(signed_in_page, team):
    page = signed_in_page
    page.goto("/projects/")
    page.fill("#new-project-name", "Acme AI")
    page.click("button:has-text('Create')")
    # A new project opens on Review, whose findings say what is left to fill in.
    expect(page.get_by_role("heading", name="Files")).to_be_visible()
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Plugin").click()
    expect(page.locator("#preview")).to_contain_text("manifest.yaml")
    snap(page, "01-project-created")

    # The preview follows typing, and the input keeps focus and caret.
    label = field(page, "manifest.label.en_US")
    label.fill("")
    label.type("Acme Cloud AI")
    expect(page.locator("#preview-text")).to_contain_text("Acme Cloud AI")
    assert page.evaluate("document.activeElement.name") == "manifest.label.en_US"
    snap(page, "02-preview-follows-typing")

    page.click("nav.tabs >> text=Provider")
    field(page, "code.base_url").fill("https://api.acme.example/v1")
    expect(page.locator("#preview-text")).to_contain_text("acme_ai")
    snap(page, "03-provider")

    page.click("nav.tabs >> text=Models")
    add_model(page, "llm", "acme-chat")
    add_model(page, "text-embedding", "acme-embed")
    add_model(page, "llm", "acme-mini")
    page.click("nav.tabs >> text=Models")
    page.click("text=acme-chat")

    # Three rules from templates and one custom rule.
    for template in ["temperature", "top_p", "max_tokens"]:
        page.click(f".template-buttons >> text={template}")
    page.click(".template-buttons >> text=custom rule")
    field(page, f"{RULES}[3].name").fill("seed")
    field(page, f"{RULES}[3].label.en_US").fill("Seed")
    field(page, f"{RULES}[3].type").select_option("int")
    field(page, "models[0].model_properties.context_size:int").fill("4096")
    field(page, "models[0].pricing.input").fill("0.50")
    field(page, "models[0].pricing.output").fill("1.50")
    field(page, "models[0].pricing.currency").fill("USD")
    field(page, "models[0].pricing.unit").select_option("0.000001")
    expect(page.locator("#preview-text")).to_contain_text("name: seed")
    expect(page.locator("#preview-text")).to_contain_text("input: '0.50'")
    snap(page, "04-llm-rules-and-pricing")

    # max_tokens above the context size: the error shows beside max_tokens' max.
    max_tokens_max = field(page, f"{RULES}[2].max:number")
    max_tokens_max.fill("8192")
    error = page.locator(f'[data-error-for="{RULES}[2].max"]')
    expect(error).to_contain_text("context size")
    snap(page, "05-max-tokens-error")
    max_tokens_max.fill("4096")
    expect(error).to_have_text("")
    snap(page, "06-error-fixed")

    # Reorder the two llms: acme-mini first.
    page.click("nav.tabs >> text=Models")
    page.check("input[aria-label='Select acme-mini']")
    page.get_by_role("button", name="Up", exact=True).click()
    expect(page.locator(".model-item").first).to_have_attribute("data-model-id", "acme-mini")
    snap(page, "07-models-reordered")

    page.click("nav.tabs >> text=Review")
    expect(page.locator(".file-tree")).to_contain_text("models/llm/acme-chat.yaml")
    page.click("text=models/llm/_position.yaml")
    expect(page.locator("#file-view")).to_contain_text(re.compile(r"acme-mini\s+- acme-chat"))
    snap(page, "08-review-files")

    project = Project.objects.get(team=team)
    chat = next(m for m in project.spec["models"] if m["model"] == "acme-chat")
    assert [r["name"] for r in chat["parameter_rules"]] == [
        "temperature",
        "top_p",
        "max_tokens",
        "seed",
    ]
    assert chat["parameter_rules"][2]["max"] == 4096
