"""Checks of where files go: model files, position lists and carried files."""

import functools
from collections import Counter
from collections.abc import Iterator

from .. import layout
from ..findings import Finding, error, field_path, warning
from ..limits import MAX_PACKAGE_BYTES
from ..spec import CarriedFile, DesignSpec
from .common import check_path


def model_files(spec: DesignSpec) -> Iterator[Finding]:
    globs = {d: tuple(g.predefined) for d, g in layout.model_globs(spec).items()}
    paths = layout.model_paths(spec)
    counts = Counter(paths) if len(set(paths)) < len(paths) else None
    for i, (path, model) in enumerate(zip(paths, spec.models, strict=True)):
        directory = layout.type_dir(model.model_type)
        problems = _model_file_problems(path, directory, globs.get(directory, ()))
        if counts is not None and counts[path] > 1:
            problems += (error("", f"another model uses the file {path}"),)
        if problems:
            where = field_path("models", i, "path")
            yield from (Finding(p.level, where, p.message) for p in problems)


@functools.lru_cache(maxsize=4096)
def _model_file_problems(path: str, directory: str, patterns: tuple[str, ...]) -> tuple:
    """What is wrong with a model's file (on an empty path): the same for every model there,
    so it is worked out once per path and globs, not once per keystroke."""
    problems = [*check_path(path, "", "model file")]
    if not path.endswith(".yaml"):
        problems.append(error("", "a model file must end in .yaml"))
    if path.endswith("_position.yaml"):
        problems.append(error("", "_position.yaml holds the order of models, not a model"))
    if not any(layout.glob_matches(p, path) for p in patterns):
        problems.append(error("", f"the provider's {directory} globs do not reach {path}"))
    return tuple(problems)


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
        total += carried_size(file)
        if path in yaml_paths:
            yield error(where, f"{path} is written from the spec; it cannot also be a file")
        elif not path.endswith("_position.yaml") and any(
            layout.glob_matches(p, path) for p in patterns
        ):
            yield error(where, f"the SDK would read {path} as a model file")
    if total > MAX_PACKAGE_BYTES:
        yield error("files", "the plugin's files exceed Dify's 50 MB package limit")


def carried_size(file: CarriedFile) -> int:
    """The size of a carried file's data, without decoding its base64 again."""
    if file.text is not None:
        return len(file.text.encode())
    encoded = file.base64 or ""  # checked when parsed: padded, nothing but base64
    return len(encoded) // 4 * 3 - encoded[-2:].count("=")
