"""Reading and writing design-spec documents (YAML or JSON) on disk."""

from pathlib import Path

from .archive import write_bytes_atomic
from .errors import PluginSourceError
from .limits import MAX_SPEC_BYTES, MAX_SPEC_NODES
from .spec import DesignSpec
from .yamlio import dump_yaml, load_yaml


def read_spec_document(path: Path) -> dict:
    """A design spec read from YAML or JSON, bounded by the spec limits (not one file's)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise PluginSourceError(f"cannot read {path}: {exc.strerror}") from None
    document = load_yaml(data, path.name, max_bytes=MAX_SPEC_BYTES, max_nodes=MAX_SPEC_NODES)
    if not isinstance(document, dict):
        raise PluginSourceError(f"{path.name}: a design spec is a mapping with spec_version: 1")
    return document


def spec_yaml(spec: DesignSpec) -> bytes:
    return dump_yaml(spec.to_document())


def write_spec(spec: DesignSpec, path: Path) -> None:
    write_bytes_atomic(spec_yaml(spec), path)
