"""What every part of the spec's checks share: structure errors, paths, texts, constants."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from ..findings import Finding, error, field_path, warning
from ..safepath import path_problem
from ..spec import LANGUAGES, DesignSpec

Rule = Callable[[DesignSpec], Iterable[Finding]]

# --- structure -------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field here",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "decimal_parsing": "must be a decimal number such as '0.50'",
    "decimal_type": "must be a decimal number such as '0.50'",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
}


def structure_findings(exc: ValidationError, within: tuple[str | int, ...] = ()) -> list[Finding]:
    """One error per structure problem; ``within`` is where the validated part sits."""
    return deduplicated([finding for _, finding in located_structure_findings(exc, within)])


def located_structure_findings(
    exc: ValidationError, within: tuple[str | int, ...] = ()
) -> list[tuple[str | int, Finding]]:
    """Each structure error with the top-level key it is under (to keep pydantic's order when
    parts of a spec are validated apart)."""
    located = []
    for item in exc.errors(include_url=False):
        loc = [*within, *(part for part in item["loc"] if not _is_union_tag(part))]
        message = _MESSAGES.get(item["type"], item["msg"])
        if item["type"] == "extra_forbidden" and "model_properties" in loc:
            message = "is not a model property Dify knows; the SDK refuses the file"
        located.append((loc[0] if loc else "", error(field_path(*loc), message)))
    return located


def _is_union_tag(part: Any) -> bool:
    # pydantic names the union member it tried ("int", "float", "str", "function-after[...]").
    return isinstance(part, str) and (part in {"int", "float", "str"} or "[" in part)


def deduplicated(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


# --- helpers ---------------------------------------------------------------------------------


def check_path(path: str, where: str, what: str) -> Iterator[Finding]:
    """A path inside the plugin, by the one rule zipping also applies (``safepath``)."""
    problem = path_problem(path)
    if problem:
        yield error(where, f"{what} {path!r} is not a safe path inside the plugin: {problem}")


def check_i18n(value: Mapping[str, str | None] | None, where: str, required: bool = True):
    if value is None:
        return
    if required and not (value.get("en_US") or "").strip():
        yield error(field_path(where, "en_US"), "an English (en_US) text is required")
    for language, text in value.items():
        path = field_path(where, language)
        if language not in LANGUAGES:
            yield warning(path, f"Dify keeps only {', '.join(LANGUAGES)}; {language} is dropped")
        if text is None:
            yield warning(path, "is empty: Dify shows the English text here")
        elif len(text) >= 1024:
            yield error(path, "must be under 1,024 characters")


def asset_exists(spec: DesignSpec, name: str) -> bool:
    return f"_assets/{name}" in spec.files
