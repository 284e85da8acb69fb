"""Findings: an error (Dify would refuse the plugin) or a warning, pinned to a field path."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .fieldpath import append_path, format_path

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    level: Level
    path: str  # e.g. models[3].parameter_rules[1].max
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path or '(spec)'}: {self.message}"


def field_path(*parts: str | int) -> str:
    """``("models", 3, "pricing")`` -> ``models[3].pricing``; odd keys are quoted
    (``models[3]["a.b"]``, the grammar of designer.core.fieldpath).

    The first part may itself be a path (``"manifest.label"``).
    """
    if parts and isinstance(parts[0], str):
        return append_path(parts[0], *parts[1:])
    return format_path(*parts)


def error(path: str, message: str) -> Finding:
    return Finding("error", path, message)


def warning(path: str, message: str) -> Finding:
    return Finding("warning", path, message)


@dataclass
class Report:
    """The outcome of validating a design spec: the spec when its structure held, and findings."""

    spec: object | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks a build (warnings never do)."""
        return self.spec is not None and not self.errors

    def at(self, path: str) -> list[Finding]:
        """Findings on this field or inside it."""
        return [f for f in self.findings if within(f.path, path)]


def within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def summary(findings: Sequence[Finding]) -> str:
    """One line: the first error (or warning) and how many more there are."""
    if not findings:
        return "no findings"
    first = findings[0]
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{first}{more}"
