"""python manage.py build_plugin SPEC.yaml --out PLUGIN.zip [--difypkg PLUGIN.difypkg] [--verify]
[--sign NAME.private.pem [--category community|partner]] [--offline [--max-package-mb N]]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.archive import write_bytes_atomic
from designer.core.errors import PluginSourceError
from designer.core.limits import MAX_PACKAGE_BYTES
from designer.core.offline import default_cache_dir
from designer.core.pipeline import Packaging, PipelineError, run_pipeline
from designer.core.signing import load_private_key
from designer.core.specfile import read_spec_document


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
        packaging = Packaging(
            offline=offline,
            offline_cache=default_cache_dir() if offline else None,
            max_bytes=options["max_package_mb"] * 2**20,
            signing_key=read_key(sign) if sign else None,
            category=category,
        )
        try:
            document = read_spec_document(spec)
            result = run_pipeline(document, verify=verify, package=True, packaging=packaging)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        except PipelineError as exc:
            where = f"{spec}: " if exc.step == "validate" else ""
            raise CommandError(f"{where}{exc}") from None
        for finding in result.report.warnings:
            self.stderr.write(str(finding))
        try:
            write_bytes_atomic(result.source_zip, out)
            if difypkg:
                write_bytes_atomic(result.difypkg, difypkg)
        except OSError as exc:
            raise CommandError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
        self.stdout.write(f"{len(result.files)} files -> {out}")


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
