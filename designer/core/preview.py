"""What a form's preview shows: the file its part of the spec becomes, and the findings.

While the draft has errors that stop the spec from loading at all (a number that is not a
number, say), the preview shows the draft's data as YAML and says it is a draft; once the spec
loads, it shows the exact file the build will write.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import layout
from .findings import Finding
from .render.yaml_files import manifest_data, model_data, provider_data, yaml_file
from .spec import DesignSpec
from .validation import validate
from .yamlio import dump_yaml


@dataclass
class Preview:
    path: str
    text: str
    exact: bool  # the file as built, not the draft's data
    findings: list[Finding] = field(default_factory=list)  # the section's own
    total_errors: int = 0
    total_warnings: int = 0


def section_prefixes(section: str, index: int | None = None) -> tuple[str, ...]:
    """The spec paths a section's form edits (the provider form also sets the code style)."""
    if section == "model":
        return (f"models[{index}]",)
    return ("provider", "code") if section == "provider" else (section,)


def is_within(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


def preview(
    document: dict[str, Any],
    section: str,
    index: int | None = None,
    model_digests: Sequence[str] | None = None,
) -> Preview:
    """``section``: manifest, provider, model (with ``index``) or positions."""
    report = validate(document, model_digests)
    prefixes = section_prefixes(section, index)
    mine = [f for f in report.findings if is_within(f.path, prefixes)]
    if report.spec is not None:
        path, text = exact_file(report.spec, section, index)
        exact = True
    else:
        path, text = draft_file(document, section, index)
        exact = False
    return Preview(path, text, exact, mine, len(report.errors), len(report.warnings))


def exact_file(spec: DesignSpec, section: str, index: int | None) -> tuple[str, str]:
    if section == "manifest":
        path, data = yaml_file(spec, "manifest.yaml", manifest_data(spec))
    elif section == "provider":
        path = layout.provider_path(spec)
        path, data = yaml_file(spec, path, provider_data(spec))
    elif section == "model":
        path = layout.model_paths(spec)[index]
        path, data = yaml_file(spec, path, model_data(spec.models[index]))
    else:
        files = layout.position_files(spec)
        text = "".join(f"# {p}\n{dump_yaml(ids).decode()}" for p, ids in files.items())
        return "position files", text
    return path, data.decode()


def draft_file(document: dict[str, Any], section: str, index: int | None) -> tuple[str, str]:
    if section == "model":
        models = document.get("models") or []
        data = models[index] if isinstance(models, list) and index < len(models) else {}
        return f"models[{index}] (draft)", dump_yaml(data).decode()
    key = {"manifest": "manifest", "provider": "provider"}.get(section, "positions")
    return f"{key} (draft)", dump_yaml(document.get(key) or {}).decode()
