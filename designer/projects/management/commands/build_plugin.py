"""python manage.py build_plugin SPEC.yaml --out PLUGIN.zip [--difypkg PLUGIN.difypkg] [--verify]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.archive import write_bytes_atomic
from designer.core.errors import PluginSourceError
from designer.core.pipeline import PipelineError, run_pipeline
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

    def handle(self, spec, out, difypkg, verify, **options):
        try:
            result = run_pipeline(read_spec_document(spec), verify=verify, package=True)
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
