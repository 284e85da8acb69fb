"""The YAML files Dify reads: manifest, provider, one per model, and the position lists.

Each ``*_data`` function gives the plain data of one file (what the preview shows and what the
fingerprint of an imported file is taken over); the contributors turn that data into bytes.
"""

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from .. import layout
from ..spec import DESIGNER_MODEL_KEYS, DesignSpec, Model, Original, Plugins, ProviderExtra
from ..yamlio import dump_yaml, dump_yaml_mapping
from .credentials import provider_for_code

RenderedFile = tuple[str, bytes]


def manifest_data(spec: DesignSpec) -> dict[str, Any]:
    plugins = spec.manifest.plugins or Plugins(models=[layout.provider_path(spec)])
    manifest = spec.manifest.model_copy(update={"plugins": plugins})
    return manifest.model_dump(mode="json", exclude_none=True)


def provider_data(spec: DesignSpec) -> dict[str, Any]:
    globs = layout.model_globs(spec)
    provider = provider_for_code(spec).model_copy(
        update={
            "models": globs or None,
            "extra": spec.provider.extra or ProviderExtra(python=layout.python_sources(spec)),
        }
    )
    return provider.model_dump(mode="json", exclude_none=True)


def model_data(model: Model) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True, exclude=set(DESIGNER_MODEL_KEYS))


def fingerprint(data: Any) -> str:
    """A digest of a file's data, independent of how its YAML was written."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def yaml_file(spec: DesignSpec, path: str, data: Any) -> RenderedFile:
    """The file's original text while its data is unchanged, else the data dumped."""
    original = spec.originals.get(path)
    if original is not None and original.fingerprint == fingerprint(data):
        return path, original.text.encode()
    return path, dump_yaml_mapping(data) if isinstance(data, dict) else dump_yaml(data)


def yaml_data_by_path(spec: DesignSpec) -> dict[str, Any]:
    """Path -> data of every YAML file the spec models, in the order they are written."""
    files = {"manifest.yaml": manifest_data(spec), layout.provider_path(spec): provider_data(spec)}
    for path, model in zip(layout.model_paths(spec), spec.models, strict=True):
        files[path] = model_data(model)
    files.update(layout.position_files(spec))
    return files


def yaml_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    for path, data in yaml_data_by_path(spec).items():
        yield yaml_file(spec, path, data)


def originals_for(spec: DesignSpec, texts: dict[str, str]) -> dict[str, Original]:
    """Remember each imported YAML text under the fingerprint of the data it stands for."""
    data_by_path = yaml_data_by_path(spec)
    return {
        path: Original(fingerprint=fingerprint(data_by_path[path]), text=text)
        for path, text in texts.items()
        if path in data_by_path
    }
