"""The README's screenshots, one per section, taken in Chromium at 1400 px (and the plugin page
at 360 px). They go to var/test-artifacts/screenshots/; to refresh the README's copies:

    SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest tests/browser/test_screenshots.py
"""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import page_signed_in_as
from tests.browser.site import sample_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = {  # file name -> page name in the sample site
    "projects": "projects",
    "plugin": "plugin",
    "provider": "provider",
    "models": "models",
    "model": "model",
    "review": "review",
    "library": "library",
    "library-edit": "library edit",
    "catalog": "catalog",
    "team": "team",
}


def folder() -> Path:
    chosen = os.environ.get("SCREENSHOTS_DIR")
    path = ROOT / chosen if chosen else ROOT / "var" / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_each_section_is_photographed(browser, live_server, team, owner):
    site = sample_site(team, owner)
    page = page_signed_in_as(browser, live_server, owner)
    out = folder()
    page.set_viewport_size({"width": 1400, "height": 900})
    for file_name, page_name in SHOTS.items():
        assert page.goto(site.signed_in[page_name]).ok
        page.screenshot(path=str(out / f"{file_name}.png"))
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.goto(site.signed_in["draft plugin"]).ok
    page.screenshot(path=str(out / "plugin-360px.png"))
    page.context.close()
    for file_name in [*SHOTS, "plugin-360px"]:
        assert (out / f"{file_name}.png").stat().st_size > 5_000
