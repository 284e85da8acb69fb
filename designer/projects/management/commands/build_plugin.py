"""python manage.py build_plugin SPEC.yaml --out PLUGIN.zip [--difypkg PLUGIN.difypkg] [--verify]
[--sign NAME.private.pem [--category community|partner]] [--offline [--max-package-mb N]]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.archive import write_bytes_atomic, write_zip_atomic
from designer.core.boot_check import boot_tree
from designer.core.errors import PluginSourceError
from designer.core.findings import summary
from designer.core.offline import default_cache_dir, offline_package
from designer.core.package import MAX_PACKAGE_BYTES, difypkg_bytes
from designer.core.render import render
from designer.core.sdk_check import load_tree_with_sdk
from designer.core.signing import load_private_key, sign_package
from designer.core.specfile import read_spec


class Command(BaseCommand):
    help = "Build a plugin from a design spec into a zip of its source tree."

    def add_arguments(self, parser):
        parser.add_argument("spec", type=Path, help="design spec (YAML or JSON)")
        parser.add_argument("--out", required=True, type=Path, help="zip file to write")
        parser.add_argument("--difypkg", type=Path, help="also write the installable package")
        parser.add_argument(
            "--verify", action="store_true", help="load the plugin with Dify's SDK first"
        )
        parser.add_argument("--sign", type=Path, help="sign the package with this private key")
        parser.add_argument(
            "--category",
            choices=("community", "partner"),
            default="community",
            help="the category the signature states (default community)",
        )
        parser.add_argument(
            "--offline", action="store_true", help="bundle the dependencies' wheels in the package"
        )
        parser.add_argument(
            "--max-package-mb",
            type=int,
            default=MAX_PACKAGE_BYTES // 2**20,
            help="the package size limit of the Dify it is for (default 50)",
        )

    def handle(self, spec, out, difypkg, verify, sign, category, offline, **options):
        for flag, given in (("--sign", sign), ("--offline", offline)):
            if given and not difypkg:
                raise CommandError(f"{flag} needs --difypkg: it applies to the package")
        private_key = read_key(sign) if sign else None
        try:
            report = read_spec(spec)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            raise CommandError(f"{spec}: {summary(report.errors)}")
        for finding in report.warnings:
            self.stderr.write(str(finding))
        files = render(report.spec)
        if verify:
            load = load_tree_with_sdk(files)
            if not load.ok:
                raise CommandError(f"Dify's SDK cannot load the plugin: {load.error}")
            boot = boot_tree(files, entrypoint=report.spec.manifest.meta.runner.entrypoint)
            if not boot.ok:
                raise CommandError(
                    f"the plugin does not start as Dify's Marketplace starts it: {boot.error}"
                )
        max_bytes = options["max_package_mb"] * 2**20
        try:
            package = None
            if difypkg:
                package = package_bytes(files, report.spec, offline=offline, max_bytes=max_bytes)
                if private_key:
                    package = sign_package(package, private_key, category)
            write_zip_atomic(files, out)
            if package is not None:
                write_bytes_atomic(package, difypkg)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
        self.stdout.write(f"{len(files)} files -> {out}")


def read_key(path: Path) -> bytes:
    """The private key's PEM, checked before anything is built."""
    try:
        pem = path.read_bytes()
        load_private_key(pem)
    except PluginSourceError as exc:
        raise CommandError(f"{path}: {exc}") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    return pem


def package_bytes(files, spec, *, offline: bool, max_bytes: int) -> bytes:
    if not offline:
        return difypkg_bytes(files, max_bytes=max_bytes)
    arches = spec.manifest.meta.arch
    return offline_package(files, arches, cache_dir=default_cache_dir(), max_bytes=max_bytes)
