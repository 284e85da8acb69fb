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
from .boot_check import Boot, boot_tree
from .errors import PluginSourceError
from .findings import Report, summary
from .icons import IconError, clean_icon_files
from .limits import MAX_PACKAGE_BYTES
from .offline import offline_package
from .package import difypkg_bytes, packaged_files
from .render import render
from .sdk_check import SdkLoad, load_tree_with_sdk
from .signing import sign_package
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
class Packaging:
    """How the ``.difypkg`` is made: with the dependencies' wheels (offline), within the size
    limit of the Dify it is for, signed with a private key (PEM) stating a category."""

    offline: bool = False
    offline_cache: Any = None  # a folder of downloaded wheels kept between builds
    max_bytes: int = MAX_PACKAGE_BYTES
    signing_key: bytes | None = None
    category: str = "community"


@dataclass(frozen=True)
class Result:
    report: Report
    files: dict[str, bytes]  # empty when the spec's structure did not hold
    source_zip: bytes | None = None  # with package=True
    difypkg: bytes | None = None  # with package=True
    verification: SdkLoad | None = None  # with verify=True
    boot: Boot | None = None  # with verify=True


def run_pipeline(
    document: Mapping[str, Any] | DesignSpec,
    *,
    verify: bool = False,
    package: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    on_step: Callable[[str], None] | None = None,
    packaging: Packaging = Packaging(),
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
    try:  # a spec uploaded or sent by the API may carry icons no upload form cleaned
        files = clean_icon_files(files)
    except IconError as exc:
        raise PipelineError("render", f"icon refused: {exc}", report) from None
    verification = boot = None
    if verify:
        step("verify")
        verification, boot = verified(files, time_limit, report)
    source_zip = difypkg = None
    if package:
        step("package")
        source_zip, difypkg = packaged(files, report, packaging)
    return Result(report, files, source_zip, difypkg, verification, boot)


def verified(files: Mapping[str, bytes], time_limit: float, report: Report) -> tuple[SdkLoad, Boot]:
    """Loaded by Dify's SDK, then started as the Marketplace's check starts it."""
    installed = packaged_files(files)
    load = load_tree_with_sdk(installed, timeout=time_limit)
    if not load.ok:
        raise PipelineError("verify", f"Dify's SDK cannot load the plugin: {load.error}", report)
    entrypoint = report.spec.manifest.meta.runner.entrypoint
    boot = boot_tree(installed, entrypoint=entrypoint, timeout=time_limit)
    if not boot.ok:
        message = f"the plugin does not start as Dify's Marketplace starts it: {boot.error}"
        raise PipelineError("verify", message, report)
    return load, boot


def packaged(
    files: Mapping[str, bytes], report: Report, packaging: Packaging
) -> tuple[bytes, bytes]:
    """The source zip and the ``.difypkg``."""
    try:
        if packaging.offline:
            arches = report.spec.manifest.meta.arch
            cache = packaging.offline_cache
            difypkg = offline_package(files, arches, cache_dir=cache, max_bytes=packaging.max_bytes)
        else:
            difypkg = difypkg_bytes(files, max_bytes=packaging.max_bytes)
        if packaging.signing_key is not None:
            difypkg = sign_package(difypkg, packaging.signing_key, packaging.category)
        return zip_tree(files), difypkg
    except PluginSourceError as exc:
        raise PipelineError("package", str(exc), report) from None
