"""Checks of where files go: model files, position lists and carried files."""

from collections import Counter
from collections.abc import Iterator

from .. import layout
from ..findings import Finding, error, field_path, warning
from ..limits import MAX_PACKAGE_BYTES
from ..spec import DesignSpec
from .common import check_path


def model_files(spec: DesignSpec) -> Iterator[Finding]:
    globs = layout.model_globs(spec)
    paths = layout.model_paths(spec)
    counts = Counter(paths)
    for i, (path, model) in enumerate(zip(paths, spec.models, strict=True)):
        where = field_path("models", i, "path")
        yield from check_path(path, where, "model file")
        if not path.endswith(".yaml"):
            yield error(where, "a model file must end in .yaml")
        if path.endswith("_position.yaml"):
            yield error(where, "_position.yaml holds the order of models, not a model")
        if counts[path] > 1:
            yield error(where, f"another model uses the file {path}")
        directory = layout.type_dir(model.model_type)
        patterns = globs[directory].predefined if directory in globs else []
        if not any(layout.glob_matches(p, path) for p in patterns):
            yield error(where, f"the provider's {directory} globs do not reach {path}")


def positions(spec: DesignSpec) -> Iterator[Finding]:
    ids = {(layout.type_dir(m.model_type), m.model) for m in spec.models}
    for directory, names in (spec.positions or {}).items():
        for i, name in enumerate(names):
            if (directory, name) not in ids:
                yield warning(
                    field_path("positions", directory, i), f"no {directory} model '{name}'"
                )


def carried(spec: DesignSpec) -> Iterator[Finding]:
    yaml_paths = {"manifest.yaml", layout.provider_path(spec), *layout.model_paths(spec)}
    yaml_paths |= set(layout.position_files(spec))
    patterns = [p for g in layout.model_globs(spec).values() for p in g.predefined]
    total = 0
    for path, file in spec.files.items():
        where = field_path("files", path)
        yield from check_path(path, where, "file")
        total += len(file.data)
        if path in yaml_paths:
            yield error(where, f"{path} is written from the spec; it cannot also be a file")
        elif not path.endswith("_position.yaml") and any(
            layout.glob_matches(p, path) for p in patterns
        ):
            yield error(where, f"the SDK would read {path} as a model file")
    if total > MAX_PACKAGE_BYTES:
        yield error("files", "the plugin's files exceed Dify's 50 MB package limit")
