"""Models into and out of the library: a design-spec fragment (YAML) or an existing plugin."""

import tempfile
from pathlib import Path

from pydantic import ValidationError

from designer.core.errors import PluginSourceError
from designer.core.limits import DESIGNER_MODEL_KEYS
from designer.core.parse import import_plugin
from designer.core.spec import SPEC_VERSION, Model
from designer.core.validation import structure_findings
from designer.core.yamlio import dump_yaml, load_yaml


def export_fragment(definitions: list[dict]) -> bytes:
    return dump_yaml({"spec_version": SPEC_VERSION, "models": definitions})


def models_from_upload(name: str, data: bytes) -> list[dict]:
    """The model documents in an uploaded fragment (.yaml/.yml/.json) or plugin archive."""
    if name.lower().endswith((".yaml", ".yml", ".json")):
        document = load_yaml(data, name)
        models = document.get("models") if isinstance(document, dict) else None
        if not isinstance(models, list):
            raise PluginSourceError(f"{name}: a fragment is a mapping with a list of models")
        return [checked_model(m, i) for i, m in enumerate(models)]
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / Path(name).name
        archive.write_bytes(data)
        spec = import_plugin(archive)
    return [
        m.model_dump(mode="json", exclude_none=True, exclude=set(DESIGNER_MODEL_KEYS))
        for m in spec.models
    ]


def checked_model(model, index: int) -> dict:
    try:
        Model.model_validate(model)
    except ValidationError as exc:
        first = structure_findings(exc)[0]
        raise PluginSourceError(f"models[{index}].{first.path}: {first.message}") from None
    return {k: v for k, v in model.items() if k not in DESIGNER_MODEL_KEYS}
