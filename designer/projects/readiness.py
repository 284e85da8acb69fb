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
            bool(files.get("README.md", b"").strip()),
            f"{plugin}#f-manifest-description-en_US",
        ),
        Check(
            "Icons present",
            report.spec is not None and not report.at("manifest.icon"),
            f"{plugin}#icon",
        ),
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


def version_is_new(project, manifest) -> bool:
    last = project.builds.last_succeeded()  # builds sit above projects: no import
    if last is None:
        return True
    try:
        return Version(str(manifest.get("version"))) > Version(last.plugin_version)
    except InvalidVersion:
        return False
