"""Every page of the designer, with data behind it, for the layout, accessibility and
screenshot tests: a valid project with a build, a broken one, a library definition."""

from dataclasses import dataclass
from pathlib import Path

from designer.library import service
from designer.projects.models import Project
from tests.builds.factories import finished_build
from tests.core.factories import llm_model, plugin_document

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [1400, 800, 360]


@dataclass(frozen=True)
class Site:
    signed_in: dict[str, str]  # page name -> path, for the team's owner
    anonymous: dict[str, str]


def sample_site(team, owner) -> Site:
    project = Project.objects.create(team=team, name="Acme AI", spec=plugin_document())
    finished_build(project)
    broken = plugin_document()
    broken["manifest"]["name"] = "Acme AI!"
    broken["models"][0]["pricing"]["input"] = "abc"
    draft = Project.objects.create(team=team, name="Draft with errors", spec=broken)
    item = service.create_definition(team, llm_model("acme-chat"), owner, tags="chat, cheap")
    p, d = f"/projects/{project.pk}", f"/projects/{draft.pk}"
    return Site(
        signed_in={
            "projects": "/projects/",
            "new project": "/projects/new/",
            "import project": "/projects/import/",
            "plugin": f"{p}/",
            "provider": f"{p}/provider/",
            "models": f"{p}/models/",
            "model": f"{p}/models/0/",
            "review": f"{p}/review/",
            "builds": f"{p}/builds/",
            "draft plugin": f"{d}/",
            "draft model": f"{d}/models/0/",
            "draft review": f"{d}/review/",
            "library": "/library/",
            "library edit": f"/library/{item.pk}/",
            "library history": f"/library/{item.pk}/history/",
            "library new": "/library/new/",
            "library import": "/library/import/",
            "library for project": f"/library/for-project/{project.pk}/",
            "catalog": "/library/catalog/?q=gpt-4o",
            "team": f"/accounts/teams/{team.pk}/members/",
            "api tokens": f"/api-tokens/teams/{team.pk}/",
            "signing key": f"/signing/teams/{team.pk}/",
        },
        anonymous={
            "home": "/",
            "sign in": "/accounts/login/",
            "sign up": "/accounts/signup/",
            "password reset": "/accounts/password_reset/",
        },
    )


def horizontal_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0: it fits the window)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` (make test does)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + ";0")  # evaluated, not a <script>: the CSP allows no inline
    results = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3)
                .map((n) => n.target.join(" ")).join(", ")}`)"""
    )
    return results


def duplicate_ids(page) -> list[str]:
    return page.evaluate(
        """() => { const seen = new Set(), twice = new Set();
            for (const el of document.querySelectorAll("[id]")) {
                (seen.has(el.id) ? twice : seen).add(el.id); }
            return [...twice]; }"""
    )
