"""Spec -> file tree, through small ordered contributors (as Spring Initializr does).

A contributor is a function from the spec to ``(path, bytes)`` pairs. The YAML files Dify reads
always come from the spec; files carried through from an imported plugin come next and take
precedence over the generated boilerplate (its code, README, dependencies ...), which only fills
the paths still free. Same spec, same bytes.
"""

from collections.abc import Callable, Iterable, Iterator

from ..spec import DesignSpec
from .code import code_files
from .pieces import generates
from .plugin_tests import plugin_test_files
from .project_files import project_files
from .yaml_files import RenderedFile, yaml_files

Contributor = Callable[[DesignSpec], Iterable[RenderedFile]]


def carried_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    for path, carried in spec.files.items():
        yield path, carried.data


# (contributor, whether its files are generated: they fill gaps only, in the pieces wanted)
CONTRIBUTORS: list[tuple[Contributor, bool]] = [
    (yaml_files, False),
    (carried_files, False),
    (code_files, True),
    (project_files, True),
    (plugin_test_files, True),
]


def render(spec: DesignSpec) -> dict[str, bytes]:
    """Every file of the plugin, sorted by path."""
    tree: dict[str, bytes] = {}
    for contributor, generated in CONTRIBUTORS:
        for path, data in contributor(spec):
            if generated and (path in tree or not generates(spec, path)):
                continue
            tree.setdefault(path, data)
    return dict(sorted(tree.items()))
