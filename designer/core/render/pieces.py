"""The generated pieces of a plugin: which files each gives, and which an imported plugin lacks.

A designed plugin gets every piece wherever it has no file of its own. An imported plugin gets
only the pieces the person added since (``code.added``): its rebuild has exactly its source's
files until someone asks for more, and each piece it lacks is offered as a finding.
"""

from collections.abc import Iterator

from .. import layout
from ..api_styles import api_style
from ..findings import Finding, error, field_path, warning
from ..model_types import BY_DIRECTORY
from ..spec import DesignSpec
from .plugin_tests import TEST_FILES

COMMON_MODULE = "models/common.py"
TESTS_FOLDER = "tests/"
PROJECT_FILES = {
    "requirements": "requirements.txt",
    "pyproject": "pyproject.toml",
    "difyignore": ".difyignore",
    "env_example": ".env.example",
    "readme": "README.md",
    "privacy": "PRIVACY.md",
    "changelog": "CHANGELOG.md",
}
DEPENDENCY_FILES = ("requirements.txt", "pyproject.toml")
# What each missing piece means, and whether Dify cannot load or package the plugin without it.
OFFERS = {
    "main": (True, "no main.py: Dify starts the plugin with `python -m main`"),
    "provider_code": (True, "no provider code at {path}: Dify cannot load the provider"),
    "model_code": (True, "no model code at {path}: Dify cannot load these models"),
    "requirements": (False, "no requirements.txt or pyproject.toml: no dependency is installed"),
    "pyproject": (False, "no pyproject.toml, the project file a designed plugin has"),
    "difyignore": (False, "no .difyignore: caches and .env files would be packaged"),
    "env_example": (False, "no .env.example for remote debugging"),
    "readme": (False, "no README.md: the Marketplace shows one for every plugin"),
    "privacy": (True, "no PRIVACY.md, the privacy policy the manifest names"),
    "changelog": (False, "no CHANGELOG.md saying what each version changed"),
    "tests": (False, "no tests/ folder with the offline checks a designed plugin has"),
}
# Generated code imports the shared module: adding it adds that too.
NEEDS = {"provider_code": ("common_code",), "model_code": ("common_code",)}


def with_needs(piece: str) -> list[str]:
    return [piece, *NEEDS.get(piece, ())]


def model_code_paths(spec: DesignSpec) -> list[str]:
    sources = layout.python_sources(spec).model_sources
    return [s for s in sources if s.count("/") >= 1 and s.split("/")[-2] in BY_DIRECTORY]


def piece_of(spec: DesignSpec, path: str) -> str:
    """The piece a generated file belongs to."""
    if path == "main.py":
        return "main"
    if path == layout.python_sources(spec).provider_source:
        return "provider_code"
    if path == COMMON_MODULE:
        return "common_code"
    if path.startswith(TESTS_FOLDER):
        return "tests"
    if path in model_code_paths(spec):
        return "model_code"
    return next(piece for piece, name in PROJECT_FILES.items() if name == path)


def generates(spec: DesignSpec, path: str) -> bool:
    """Whether the generated file at ``path`` belongs in the plugin."""
    if not spec.code.imported:
        return True
    return piece_of(spec, path) in (spec.code.added or [])


def piece_paths(spec: DesignSpec, piece: str) -> list[str]:
    """The files of a piece that the plugin does not have itself."""
    if piece == "main":
        paths = ["main.py"]
    elif piece == "provider_code":
        paths = [layout.python_sources(spec).provider_source]
    elif piece == "model_code":
        paths = model_code_paths(spec)
    elif piece == "common_code":
        paths = [COMMON_MODULE]
    elif piece == "tests":
        paths = list(TEST_FILES)
    elif piece in ("requirements", "pyproject") and any(p in spec.files for p in DEPENDENCY_FILES):
        paths = []  # its own dependency list is the one to keep: a second would shadow it
    elif piece == "privacy" and spec.manifest.privacy != PROJECT_FILES["privacy"]:
        paths = []  # the manifest names another file (or none), checked with the manifest
    else:
        paths = [PROJECT_FILES[piece]]
    return [path for path in paths if path not in spec.files]


def missing_pieces(spec: DesignSpec) -> dict[str, list[str]]:
    """Piece -> its files, for each piece an imported plugin lacks and may add."""
    if not spec.code.imported:
        return {}
    added = set(spec.code.added or [])
    missing = {piece: piece_paths(spec, piece) for piece in OFFERS if piece not in added}
    return {piece: paths for piece, paths in missing.items() if paths}


ADDED_PATH = "code.added"


def offered_piece(finding_path: str) -> str | None:
    """The piece a finding offers to add (it sits on the field the adding changes)."""
    piece = finding_path.removeprefix(ADDED_PATH + ".")
    return piece if piece != finding_path and piece in OFFERS else None


def piece_findings(spec: DesignSpec) -> Iterator[Finding]:
    for piece, paths in missing_pieces(spec).items():
        needed, message = OFFERS[piece]
        text = message.format(path=", ".join(paths)) + " (“Add it” generates one)"
        where = field_path(ADDED_PATH, piece)
        yield error(where, text) if needed else warning(where, text)


def skeleton_findings(spec: DesignSpec) -> Iterator[Finding]:
    """Generated code that is only a skeleton is left to write before the plugin works."""
    skeleton = api_style(spec.code.api_style).skeleton
    if skeleton and generates(spec, COMMON_MODULE) and COMMON_MODULE not in spec.files:
        yield warning(
            "code.api_style",
            "the generated models/common.py is a skeleton: write its call_api for your API",
        )
