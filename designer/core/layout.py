"""Where each part of a plugin lives: kept as written when given, derived when not."""

import re
from collections.abc import Iterable

from .lru import Lru
from .spec import MODEL_TYPE_DIRS, DesignSpec, Model, ModelGlobs, PythonSources

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def type_dir(model_type: str) -> str:
    """The directory of a model type (``text-embedding`` lives in ``text_embedding``)."""
    return MODEL_TYPE_DIRS.get(model_type, model_type.replace("-", "_"))


def provider_path(spec: DesignSpec) -> str:
    plugins = spec.manifest.plugins
    if plugins is not None and plugins.models:
        return plugins.models[-1]  # the daemon keeps only the last entry
    return f"provider/{spec.provider.provider}.yaml"


def used_type_dirs(spec: DesignSpec) -> list[str]:
    """Type directories of the supported model types, then of any model of another known type
    (an unknown type is reported once, on the field that names it)."""
    types = [*spec.provider.supported_model_types, *(m.model_type for m in spec.models)]
    return list(dict.fromkeys(type_dir(t) for t in types if t in MODEL_TYPE_DIRS))


def model_globs(spec: DesignSpec) -> dict[str, ModelGlobs]:
    if spec.provider.models is not None:
        return spec.provider.models
    with_models = {type_dir(m.model_type) for m in spec.models}
    return {
        d: ModelGlobs(position=f"models/{d}/_position.yaml", predefined=[f"models/{d}/*.yaml"])
        for d in used_type_dirs(spec)
        if d in with_models
    }


def python_sources(spec: DesignSpec) -> PythonSources:
    if spec.provider.extra is not None:
        return spec.provider.extra.python
    return PythonSources(
        provider_source=f"provider/{spec.provider.provider}.py",
        model_sources=[f"models/{d}/{d}.py" for d in used_type_dirs(spec)],
    )


def file_stem(model_id: str) -> str:
    """A file name stem for a model id: ids may hold ``/``, ``:`` and spaces."""
    stem = _UNSAFE_FILE_CHARS.sub("-", model_id).strip("-.") or "model"
    return "position" if stem == "_position" else stem


# Paths by the models' (type, id, path): a keystroke in one of 250 models would otherwise
# derive all 250 file names again to find the one it shows.
_PATHS = Lru(64)


def model_paths(spec: DesignSpec) -> list[str]:
    """The file of each model, in model order; derived names never collide."""
    key = tuple((m.model_type, m.model, m.path) for m in spec.models)
    paths = _PATHS.get(key)
    if paths is None:
        paths = _derived_paths(spec.models)
        _PATHS.put(key, paths)
    return list(paths)


def _derived_paths(models: list[Model]) -> tuple[str, ...]:
    taken = {m.path for m in models if m.path}
    paths = []
    for model in models:
        path = model.path or _free_path(model, taken)
        taken.add(path)
        paths.append(path)
    return tuple(paths)


def _free_path(model: Model, taken: set[str | None]) -> str:
    base = f"models/{type_dir(model.model_type)}/{file_stem(model.model)}"
    path, n = f"{base}.yaml", 2
    while path in taken:
        path, n = f"{base}-{n}.yaml", n + 1
    return path


def position_files(spec: DesignSpec) -> dict[str, list[str]]:
    """Path -> list of model ids, for each position file the plugin has."""
    files = {}
    for directory, globs in model_globs(spec).items():
        if globs.position is None:
            continue
        if spec.positions is not None and directory in spec.positions:
            files[globs.position] = spec.positions[directory]
        elif spec.provider.models is None:
            files[globs.position] = _model_ids_in(spec.models, directory)
    return files


def _model_ids_in(models: Iterable[Model], directory: str) -> list[str]:
    return [m.model for m in models if type_dir(m.model_type) == directory]


def glob_matches(pattern: str, path: str) -> bool:
    """Whether ``path`` matches a provider glob the way pathlib does (``*`` stays in a folder)."""
    return _match_parts(pattern.split("/"), path.split("/"))


def _match_parts(pattern: list[str], parts: list[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match_parts(rest, parts[i:]) for i in range(len(parts) + 1))
    return (
        bool(parts)
        and _segment_regex(head).fullmatch(parts[0]) is not None
        and (_match_parts(rest, parts[1:]))
    )


_SEGMENT_CACHE: dict[str, re.Pattern[str]] = {}


def _segment_regex(segment: str) -> re.Pattern[str]:
    if segment not in _SEGMENT_CACHE:
        _SEGMENT_CACHE[segment] = re.compile(_translate_segment(segment))
    return _SEGMENT_CACHE[segment]


def _translate_segment(segment: str) -> str:
    out, i = [], 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in segment[i + 2 :]:
            end = segment.index("]", i + 2)
            body = segment[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def files_matching(globs: Iterable[str], paths: Iterable[str]) -> list[str]:
    patterns = list(globs)
    return sorted(p for p in paths if any(glob_matches(g, p) for g in patterns))
