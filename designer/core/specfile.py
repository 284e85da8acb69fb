"""Reading and writing design-spec documents (YAML or JSON) on disk."""

from pathlib import Path

from .archive import write_bytes_atomic
from .errors import PluginSourceError
from .spec import DesignSpec
from .yamlio import dump_yaml, load_yaml


def read_spec_document(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PluginSourceError(f"cannot read {path}: {exc.strerror}") from None
    document = load_yaml(data, path.name)
    if not isinstance(document, dict):
        raise PluginSourceError(f"{path.name}: a design spec is a mapping with spec_version: 1")
    return document


def spec_yaml(spec: DesignSpec) -> bytes:
    return dump_yaml(spec.to_document())


def write_spec(spec: DesignSpec, path: Path) -> None:
    write_bytes_atomic(spec_yaml(spec), path)
