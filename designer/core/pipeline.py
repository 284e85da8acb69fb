"""The one way a design spec becomes a plugin: validate -> render -> verify -> package.

The Review page, the build worker and the ``build_plugin`` command all run ``run_pipeline``,
each asking for the steps it needs, and hear of each step as it starts through ``on_step``.

The SDK verifies before packaging so that a build shows its steps as it always has (render,
verify, package, store), and it loads exactly the files that go into the package (after
``.difyignore``), so what it checks is what Dify installs.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .archive import zip_tree
from .errors import PluginSourceError
from .findings import Report, summary
from .package import difypkg_bytes, packaged_files
from .render import render
from .sdk_check import SdkLoad, load_tree_with_sdk
from .spec import DesignSpec
from .validation import validate

STEPS = ("validate", "render", "verify", "package")
DEFAULT_TIME_LIMIT = 120.0


class PipelineError(Exception):
    """Why the plugin cannot be made, in one line a person can act on; ``step`` is where it
    stopped, ``report`` the validation report when there is one."""

    def __init__(self, step: str, message: str, report: Report | None = None):
        super().__init__(message)
        self.step = step
        self.report = report


@dataclass(frozen=True)
class Result:
    report: Report
    files: dict[str, bytes]  # empty when the spec's structure did not hold
    source_zip: bytes | None = None  # with package=True
    difypkg: bytes | None = None  # with package=True
    verification: SdkLoad | None = None  # with verify=True


def run_pipeline(
    document: Mapping[str, Any] | DesignSpec,
    *,
    verify: bool = False,
    package: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    on_step: Callable[[str], None] | None = None,
) -> Result:
    """Run the steps asked for on a design-spec document.

    Errors stop it (PipelineError) before anything is made for Dify. A run that only renders
    (no verify, no package) never stops at errors: it gives the report and the files the
    draft renders to, as the Review page shows them. ``time_limit`` bounds the SDK's load.
    """
    step = on_step or (lambda name: None)
    step("validate")
    report = validate(document)
    makes_something = verify or package
    if makes_something and not report.ok:
        raise PipelineError("validate", summary(report.errors), report)
    if report.spec is None:
        return Result(report, {})
    step("render")
    files = render(report.spec)
    if not makes_something:
        return Result(report, files)
    verification = None
    if verify:
        step("verify")
        verification = verified(files, time_limit, report)
    source_zip = difypkg = None
    if package:
        step("package")
        source_zip, difypkg = packaged(files, report)
    return Result(report, files, source_zip, difypkg, verification)


def verified(files: Mapping[str, bytes], time_limit: float, report: Report) -> SdkLoad:
    load = load_tree_with_sdk(packaged_files(files), timeout=time_limit)
    if not load.ok:
        raise PipelineError("verify", f"Dify's SDK cannot load the plugin: {load.error}", report)
    return load


def packaged(files: Mapping[str, bytes], report: Report) -> tuple[bytes, bytes]:
    """The source zip and the ``.difypkg``."""
    try:
        return zip_tree(files), difypkg_bytes(files)
    except PluginSourceError as exc:
        raise PipelineError("package", str(exc), report) from None
