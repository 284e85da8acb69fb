"""Pre-flight: what Dify's daemon refuses at install and the Marketplace refuses at review,
and the mistakes real plugins make, caught before a build.

Errors are the daemon's own install rules where they are stricter than the SDK's (its manifest
check runs only when a package is installed). Warnings are the Marketplace's review rules and
likely mistakes. Each rule takes a spec and yields findings on the field to fix;
`tree_findings` looks at a plugin's files as they would be packaged.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from . import layout
from .findings import Finding, error, field_path, warning
from .spec import DesignSpec, Model

DAEMON_AUTHOR = re.compile(r"[a-z0-9_-]{1,64}", re.ASCII)
SDK_AUTHOR = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)
RESERVED_AUTHOR_WORDS = ("langgenius", "dify")
MANIFEST_FORMAT_VERSION = "0.0.1"
MAX_CONTEXT_SIZE = 10_000_000
MIN_LLM_CONTEXT_SIZE = 1_024
# What model APIs take in a model id: letters, digits and . _ - : / @ + (vendor/model:tag@rev).
MODEL_ID = re.compile(r"[A-Za-z0-9._:/@+-]+", re.ASCII)
# SHA-256 of the icons `dify plugin init` writes (the daemon's CLI templates): the Marketplace
# turns a plugin away that still shows one.
TEMPLATE_ICON_DIGESTS = frozenset(
    {
        "2856fb811fef4a709d46e2ddde41837f79077cd1a198eb711df1578e46cba971",
        "2961f5adb1bb2e7d3e5df231816d053c346cc55937df3841bc95b8c4ace11ef3",
        "8fca9b6348346376542ac58c0f103feabaccefc615262aed3fbfe4d9523fe2cc",
        "ee285092d6089dec37f8457a609ac879813c0161a51a36c03342160e8cab4f1c",
        "80e2cb519d4bcecd35fb5a3b26086109d677657fd0151dffd97febabc10ba78b",
        "85b51149403702f4e51df9886de0e28d1845d5b0ee2adba036fc68f8fbfd294f",
        "2f10098243b354f9fd9a93ba9d350644e1faa9f45c2d2b3a37d847203660ff16",
        "e85c13771e6288ec8f169585d71ad85a582fe2ba05ef641a594c54a856d6b0e0",
        "d3becf3331b0cacbd5e876ed7a591c47338f9d66ac0234b360cd9b03012b47a9",
        "84ecd023e5afbdb36cca9d0c6f4adbc67dcc6f2a35092b1af14763d5149aeb4d",
        "eaa97f3cc787d904bed8d3ae124d052254834b6334519623d6663bcb5046082f",
    }
)


# --- the daemon's install rules --------------------------------------------------------------


def daemon_author(spec: DesignSpec) -> Iterator[Finding]:
    author = spec.manifest.author
    if SDK_AUTHOR.fullmatch(author) and not DAEMON_AUTHOR.fullmatch(author):
        yield error(
            "manifest.author",
            f"Dify's daemon refuses to install a plugin whose author has capitals: use "
            f"{author.lower()!r}",
        )
    if _is_uuid(author):
        yield error("manifest.author", "Dify's daemon refuses an author that is a UUID")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def daemon_versions(spec: DesignSpec) -> Iterator[Finding]:
    """The daemon's version pattern knows ASCII digits and letters only; Python's knows more."""
    for where, version in (
        ("manifest.version", spec.manifest.version),
        ("manifest.meta.version", spec.manifest.meta.version),
    ):
        if not version.isascii():
            yield error(where, "Dify's daemon accepts only ASCII digits and letters in a version")


# --- the Marketplace's review ----------------------------------------------------------------


def marketplace_author(spec: DesignSpec) -> Iterator[Finding]:
    author = spec.manifest.author.lower()
    if author == "langgenius":
        return  # validation already says the name is reserved
    for word in RESERVED_AUTHOR_WORDS:
        if word in author:
            yield warning(
                "manifest.author",
                f"the Marketplace refuses a community author containing '{word}'",
            )


def template_icons(spec: DesignSpec) -> Iterator[Finding]:
    for where, name in _icon_fields(spec):
        file = spec.files.get(f"_assets/{name}")
        if file is not None and hashlib.sha256(file.data).hexdigest() in TEMPLATE_ICON_DIGESTS:
            yield warning(
                where, "this is the icon `dify plugin init` writes; the Marketplace wants your own"
            )


def _icon_fields(spec: DesignSpec) -> Iterator[tuple[str, str]]:
    for key in ("icon", "icon_dark"):
        name = getattr(spec.manifest, key)
        if name:
            yield f"manifest.{key}", name
    for key in ("icon_small", "icon_large", "icon_small_dark", "icon_large_dark"):
        for language, name in (getattr(spec.provider, key) or {}).items():
            yield field_path("provider", key, language), name


def marketplace_privacy(spec: DesignSpec) -> Iterator[Finding]:
    if spec.manifest.privacy is None:
        yield warning(
            "manifest.privacy",
            "the Marketplace requires a privacy policy: set PRIVACY.md (the designer writes one)",
        )


def tree_findings(files: Mapping[str, bytes]) -> list[Finding]:
    """A plugin's files as they stand (a folder or archive is packaged as it is)."""
    findings = []
    if "README.md" not in files:
        findings.append(warning("files.README.md", "the Marketplace requires a README.md"))
    return findings


# --- likely mistakes -------------------------------------------------------------------------


# Each model's own checks take the model alone (``where`` is its path), so validation caches
# them with the model's other findings and a keystroke re-checks only the model it edits.


def structured_output(model: Model, where: str) -> Iterator[Finding]:
    if model.model_type != "llm" or "structured-output" in (model.features or []):
        return
    for j, rule in enumerate(model.parameter_rules or []):
        if "json_schema" in (rule.use_template, rule.name):
            yield warning(
                field_path(where, "parameter_rules", j),
                "a json_schema rule without the structured-output feature: Dify refuses "
                "structured output for this model; add the feature or drop the rule",
            )


def context_sizes(model: Model, where: str) -> Iterator[Finding]:
    size = model.model_properties.context_size
    where = f"{where}.model_properties.context_size"
    if size is None or size <= 0:
        return  # a missing or non-positive size is validation's concern
    if size > MAX_CONTEXT_SIZE:
        yield warning(where, f"{size:,} tokens is more than any model takes; a typo?")
    elif model.model_type == "llm" and size < MIN_LLM_CONTEXT_SIZE:
        yield warning(where, f"{size:,} tokens is too small for an LLM; a typo?")


def pricing_units(model: Model, where: str) -> Iterator[Finding]:
    price = model.pricing
    if price is None:
        return
    where = f"{where}.pricing"
    if price.unit > 0 and not _is_power_of_ten(price.unit):
        yield warning(
            f"{where}.unit",
            f"unit {price.unit} is not a power of ten; use 0.000001 for prices per 1M tokens",
        )
    if price.output and not price.input:
        yield warning(f"{where}.input", "an output price without an input price")


def _is_power_of_ten(value: Decimal) -> bool:
    digits = value.normalize().as_tuple().digits
    return digits == (1,)


def meta_version(spec: DesignSpec) -> Iterator[Finding]:
    manifest = spec.manifest
    if manifest.meta.version != MANIFEST_FORMAT_VERSION and (
        manifest.meta.version == manifest.version
    ):
        yield warning(
            "manifest.meta.version",
            f"this is the manifest format's version ({MANIFEST_FORMAT_VERSION}), not the "
            "plugin's: set the plugin's version in manifest.version",
        )


def model_ids(model: Model, where: str) -> Iterator[Finding]:
    if model.model.strip() and not MODEL_ID.fullmatch(model.model):
        yield warning(f"{where}.model", _model_id_message(model))


def _model_id_message(model: Model) -> str:
    problem = "spaces" if re.search(r"\s", model.model) else "characters"
    message = f"a model id with {problem} a provider's API would not accept"
    if model.path is None:
        directory = layout.type_dir(model.model_type)
        message += f"; its file is named models/{directory}/{layout.file_stem(model.model)}.yaml"
    return message


PREFLIGHT_RULES = [
    daemon_author,
    daemon_versions,
    marketplace_author,
    template_icons,
    marketplace_privacy,
    meta_version,
]
MODEL_PREFLIGHT_RULES = [structured_output, context_sizes, pricing_units, model_ids]


def model_preflight(model: Model, where: str) -> list[Finding]:
    return [finding for rule in MODEL_PREFLIGHT_RULES for finding in rule(model, where)]


def preflight(spec: DesignSpec) -> Iterable[Finding]:
    for rule in PREFLIGHT_RULES:
        yield from rule(spec)
    for i, model in enumerate(spec.models):
        yield from model_preflight(model, field_path("models", i))
