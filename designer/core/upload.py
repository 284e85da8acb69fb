"""An uploaded file -> design spec: a plugin ``.zip``/``.difypkg`` or a design spec (YAML/JSON).

Everything happens in memory with the archive reader's and the YAML loader's refusals; any
refusal is a PluginSourceError whose text is one plain sentence for the person uploading.
"""

from pydantic import ValidationError

from .archive import MAX_ENTRIES, MAX_TOTAL_BYTES, read_plugin_archive
from .errors import PluginSourceError
from .parse import parse_tree
from .spec import DesignSpec
from .validation import validate
from .yamlio import dump_yaml, load_yaml

MAX_UPLOAD_BYTES = 20 * 2**20
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
ARCHIVE_SUFFIXES = (".zip", ".difypkg")
LIMITS_TEXT = (
    f"Up to {MAX_UPLOAD_BYTES // 2**20} MB; an archive may hold up to {MAX_ENTRIES:,} entries "
    f"and {MAX_TOTAL_BYTES // 2**20} MB uncompressed."
)


def spec_from_upload(name: str, data: bytes) -> DesignSpec:
    """The spec of an uploaded plugin archive or design-spec document."""
    if name.lower().endswith(SPEC_SUFFIXES):
        return spec_from_document(name, data)
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        return parse_tree(read_plugin_archive(data, name))
    raise PluginSourceError(
        f"{name}: upload a plugin .zip or .difypkg, or a design spec (.yaml, .json)"
    )


def spec_from_document(name: str, data: bytes) -> DesignSpec:
    document = load_yaml(data, name)
    if not isinstance(document, dict) or "spec_version" not in document:
        raise PluginSourceError(f"{name}: a design spec is a mapping with spec_version: 1")
    report = validate(document)
    if report.spec is None:
        first = report.findings[0]
        raise PluginSourceError(f"{name}: {first.path or 'spec'}: {first.message}")
    return report.spec


def spec_document_yaml(document: dict) -> bytes:
    """A project's spec as a YAML file: normalized when its structure holds, as saved if not."""
    try:
        return dump_yaml(DesignSpec.model_validate(document).to_document())
    except ValidationError:
        return dump_yaml(document)
