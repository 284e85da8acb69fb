"""Marketplace readiness: what a reviewer expects before a plugin is published."""

from dataclasses import dataclass

from django.urls import reverse
from packaging.version import InvalidVersion, Version


@dataclass
class Check:
    label: str
    ok: bool
    url: str


def readiness(project, document, report, files) -> list[Check]:
    """``document``: the project's effective document, which ``report`` and ``files`` are of."""
    manifest = document.get("manifest") or {}
    plugin = reverse("projects:plugin", args=[project.pk])
    privacy_path = manifest.get("privacy") or "PRIVACY.md"
    return [
        Check("A repository URL", bool(manifest.get("repo")), f"{plugin}#f-manifest-repo"),
        Check(
            "A PRIVACY.md of your own (not the generated one)",
            privacy_path in (document.get("files") or {}),
            f"{plugin}#privacy",
        ),
        Check(
            "An English README",
            has_readme(document, files),
            f"{plugin}#f-manifest-description-en_US",
        ),
        Check("Icons present", has_icon(document, report), f"{plugin}#icon"),
        Check(
            "Version higher than the last build",
            version_is_new(project, manifest),
            f"{plugin}#f-manifest-version",
        ),
        Check(
            "Author is not the reserved langgenius",
            manifest.get("author") != "langgenius",
            f"{plugin}#f-manifest-author",
        ),
        Check("No errors", report.ok, reverse("projects:review", args=[project.pk]) + "#errors"),
    ]


README = "README.md"


def has_readme(document, files) -> bool:
    """Read from the rendered files when the draft renders; while it has errors elsewhere, from
    the draft: its own README, or the generated one (every designed plugin gets it, an
    imported one once it has added it)."""
    if files:
        return bool(files.get(README, b"").strip())
    own = (document.get("files") or {}).get(README)
    if isinstance(own, dict):
        return bool(str(own.get("text", own.get("base64", ""))).strip())
    code = document.get("code") or {}
    return not code.get("imported") or "readme" in (code.get("added") or [])


def has_icon(document, report) -> bool:
    """The manifest names an icon the draft carries, and validation has nothing against it."""
    name = (document.get("manifest") or {}).get("icon")
    carried = isinstance(name, str) and f"_assets/{name}" in (document.get("files") or {})
    return carried and not report.at("manifest.icon")


def version_is_new(project, manifest) -> bool:
    last = project.builds.last_succeeded()  # builds sit above projects: no import
    if last is None:
        return True
    try:
        return Version(str(manifest.get("version"))) > Version(last.plugin_version)
    except InvalidVersion:
        return False
