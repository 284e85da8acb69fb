"""File tree -> design spec: the way back from a plugin folder, ``.zip`` or ``.difypkg``.

Lossless: keys Dify does not know stay on their objects, model files keep their paths, globs and
position lists stay as written, every other file is carried through byte for byte (but icons,
cleaned of anything executable: designer/core/icons.py), and each YAML file's text is remembered
so that an unchanged file is written back exactly as it came in.
"""

import os
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .archive import check_relative_path, read_plugin_source
from .errors import PluginSourceError
from .icons import IconError, clean_icon_files
from .layout import files_matching
from .render.yaml_files import originals_for
from .spec import SPEC_VERSION, CarriedFile, DesignSpec
from .validation import structure_findings
from .yamlio import load_yaml

MANIFEST = "manifest.yaml"


def import_plugin(source: str | os.PathLike) -> DesignSpec:
    """Read a plugin folder, ``.zip`` or ``.difypkg`` into a design spec."""
    return parse_tree(read_plugin_source(source))


def parse_tree(files: Mapping[str, bytes]) -> DesignSpec:
    try:
        files = clean_icon_files(files)  # the icons ship in every Dify that installs the plugin
    except IconError as exc:
        raise PluginSourceError(f"icon refused: {exc}") from None
    texts: dict[str, str] = {}
    manifest = _yaml_mapping(files, MANIFEST, texts)
    provider_path = _provider_path(manifest)
    provider = _yaml_mapping(files, provider_path, texts)
    models, positions = _models_and_positions(files, provider, texts)
    document = {
        "spec_version": SPEC_VERSION,
        "manifest": manifest,
        "provider": provider,
        "models": models,
        "positions": positions or None,
        "code": {"imported": True},
        "files": {p: CarriedFile.from_bytes(d) for p, d in files.items() if p not in texts},
    }
    try:
        spec = DesignSpec.model_validate(document)
    except ValidationError as exc:
        first = structure_findings(exc)[0]
        where = _file_of(first.path, models, provider_path)
        raise PluginSourceError(f"{where}: {first.path}: {first.message}") from None
    return spec.model_copy(update={"originals": originals_for(spec, texts)})


def _provider_path(manifest: dict[str, Any]) -> str:
    plugins = manifest.get("plugins")
    paths = plugins.get("models") if isinstance(plugins, dict) else None
    if not isinstance(paths, list) or not paths or not isinstance(paths[-1], str):
        raise PluginSourceError("manifest.yaml declares no model provider (plugins.models)")
    try:
        return check_relative_path(paths[-1])
    except PluginSourceError as exc:
        raise PluginSourceError(f"manifest.yaml: plugins.models: {exc}") from None


def _models_and_positions(files, provider: dict[str, Any], texts: dict[str, str]):
    globs = provider.get("models") or {}
    if not isinstance(globs, dict):
        raise PluginSourceError("provider: models must map model types to globs")
    models: list[dict[str, Any]] = []
    positions: dict[str, Any] = {}
    for directory, entry in globs.items():
        if not isinstance(entry, dict):
            raise PluginSourceError(f"provider: models.{directory} must be a mapping")
        position = entry.get("position")
        if isinstance(position, str) and check_relative_path(position) in files:
            positions[directory] = load_yaml(files[position], position) or []
            texts[position] = files[position].decode("utf-8-sig")
        found = []
        for path in files_matching(_patterns(entry), files):
            if path.endswith("_position.yaml") or path in texts:
                continue
            found.append({**_yaml_mapping(files, path, texts), "path": path})
        models += _in_position_order(found, positions.get(directory))
    return models, positions


def _in_position_order(models: list[dict[str, Any]], position: Any) -> list[dict[str, Any]]:
    """Models as Dify lists them: those the position file names in its order, then the rest."""
    if not isinstance(position, list):
        return models
    rank = {model_id: i for i, model_id in reversed(list(enumerate(position)))}
    return sorted(models, key=lambda model: rank.get(str(model.get("model")), len(rank)))


def _patterns(entry: dict[str, Any]) -> list[str]:
    predefined = entry.get("predefined") or []
    if not isinstance(predefined, list) or not all(isinstance(p, str) for p in predefined):
        raise PluginSourceError("provider: models.*.predefined must be a list of globs")
    for pattern in predefined:
        check_relative_path(pattern)
    return predefined


def _yaml_mapping(files: Mapping[str, bytes], path: str, texts: dict[str, str]) -> dict:
    if path not in files:
        raise PluginSourceError(f"{path} is missing")
    data = load_yaml(files[path], path)
    if not isinstance(data, dict):
        raise PluginSourceError(f"{path}: expected a mapping of keys to values")
    texts[path] = files[path].decode("utf-8-sig")
    return data


def _file_of(field: str, models: list[dict[str, Any]], provider_path: str) -> str:
    """The plugin file a spec field comes from, for import errors."""
    if field.startswith("manifest"):
        return MANIFEST
    if field.startswith("provider"):
        return provider_path
    if field.startswith("models["):
        index = int(field[len("models[") : field.index("]")])
        return models[index]["path"]
    return "plugin"
