"""Checks of manifest.yaml: identity, texts, icons, resources, declared plugins, runner."""

import re
from collections.abc import Iterator

from ..findings import Finding, error, field_path, warning
from ..spec import DesignSpec
from .common import asset_exists, check_i18n, check_path

DAEMON_VERSION = re.compile(r"^\d{1,4}(\.\d{1,4}){2}(-\w{1,16})?$")
PLAIN_VERSION = re.compile(r"^\d{1,4}\.\d{1,4}\.\d{1,4}$")
AUTHOR = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
PLUGIN_NAME = re.compile(r"^[a-z0-9_-]{1,128}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
RESERVED_AUTHORS = {"langgenius"}
ARCHES = {"amd64", "arm64"}
PLUGIN_TAGS = {
    "search", "image", "videos", "weather", "finance", "design", "travel", "social", "news",
    "medical", "productivity", "education", "business", "entertainment", "utilities", "other",
}  # fmt: skip
OTHER_PLUGIN_KINDS = ("tools", "endpoints", "agent_strategies", "datasources", "triggers")


def manifest_identity(spec: DesignSpec) -> Iterator[Finding]:
    m = spec.manifest
    yield from _version("manifest.version", m.version)
    yield from _version("manifest.meta.version", m.meta.version)
    if m.type != "plugin":
        yield error("manifest.type", "must be 'plugin'")
    if not AUTHOR.match(m.author):
        yield error("manifest.author", "use 1-64 letters, digits, '_' or '-'")
    elif m.author != m.author.lower():
        yield warning("manifest.author", "Dify lowercases the author when installing")
    if m.author.lower() in RESERVED_AUTHORS:
        yield warning(
            "manifest.author",
            f"'{m.author}' is reserved for signed official plugins; newer Dify refuses it",
        )
    if not PLUGIN_NAME.match(m.name):
        yield error("manifest.name", "use 1-128 lowercase letters, digits, '_' or '-'")
    if not RFC3339.match(m.created_at):
        yield error("manifest.created_at", "must be an RFC 3339 time such as 2026-01-01T00:00:00Z")
    if m.repo is not None and not re.match(r"^https?://\S+$", m.repo):
        yield warning("manifest.repo", "should be an http(s) URL of the plugin's repository")
    for i, tag in enumerate(m.tags or []):
        if tag not in PLUGIN_TAGS:
            yield error(field_path("manifest.tags", i), f"'{tag}' is not one of Dify's tags")


def _version(where: str, version: str) -> Iterator[Finding]:
    if not DAEMON_VERSION.match(version):
        yield error(where, "must look like 1.2.3")
    elif not PLAIN_VERSION.match(version):
        yield warning(where, "the SDK accepts only some suffixes; plain 1.2.3 is safest")


def manifest_texts(spec: DesignSpec) -> Iterator[Finding]:
    yield from check_i18n(spec.manifest.label, "manifest.label")
    yield from check_i18n(spec.manifest.description, "manifest.description")


def manifest_icons(spec: DesignSpec) -> Iterator[Finding]:
    for key in ("icon", "icon_dark"):
        name = getattr(spec.manifest, key)
        if name is None:
            continue
        where = f"manifest.{key}"
        if not name or len(name) > 128:
            yield error(where, "must be a file name of 1-128 characters")
        elif not asset_exists(spec, name):
            yield error(where, f"no icon file _assets/{name}: upload one")


def manifest_resources(spec: DesignSpec) -> Iterator[Finding]:
    resource = spec.manifest.resource
    if resource.memory <= 0:
        yield error("manifest.resource.memory", "must be a positive number of bytes")
    storage = resource.permission.storage if resource.permission else None
    if storage is not None and storage.size is not None and not 1024 <= storage.size <= 2**30:
        yield error("manifest.resource.permission.storage.size", "must be 1024 bytes to 1 GiB")


def manifest_plugins(spec: DesignSpec) -> Iterator[Finding]:
    plugins = spec.manifest.plugins
    if plugins is None:
        return
    if len(plugins.models) != 1:
        yield error("manifest.plugins.models", "a plugin declares exactly one model provider")
    for i, path in enumerate(plugins.models):
        yield from check_path(path, field_path("manifest.plugins.models", i), "provider file")
    extras = plugins.model_extra or {}
    for kind in OTHER_PLUGIN_KINDS:
        if extras.get(kind):
            where = f"manifest.plugins.{kind}"
            yield error(where, f"a model plugin cannot also declare {kind.replace('_', ' ')}")


def manifest_meta(spec: DesignSpec) -> Iterator[Finding]:
    meta = spec.manifest.meta
    if not meta.arch or not set(meta.arch) <= ARCHES:
        yield error("manifest.meta.arch", "choose amd64 and/or arm64")
    if meta.runner.language != "python":
        yield error("manifest.meta.runner.language", "must be 'python'")
    if meta.runner.version != "3.12":
        yield warning("manifest.meta.runner.version", "Dify runs every plugin on Python 3.12")
    entrypoint = meta.runner.entrypoint
    where = "manifest.meta.runner.entrypoint"
    if not MODULE_NAME.match(entrypoint):
        yield error(where, "must be a Python module name such as main")
    elif entrypoint != "main" and f"{entrypoint.replace('.', '/')}.py" not in spec.files:
        yield error(where, f"no file {entrypoint.replace('.', '/')}.py for this entrypoint")
    version = meta.minimum_dify_version
    if version is not None and not PLAIN_VERSION.match(version):
        yield error("manifest.meta.minimum_dify_version", "must look like 1.2.3")


def manifest_privacy(spec: DesignSpec) -> Iterator[Finding]:
    privacy = spec.manifest.privacy
    if privacy is None:
        return
    yield from check_path(privacy, "manifest.privacy", "privacy file")
    if privacy != "PRIVACY.md" and privacy not in spec.files:
        yield error("manifest.privacy", f"no file {privacy} in the plugin")
