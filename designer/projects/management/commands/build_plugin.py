"""python manage.py build_plugin SPEC.yaml --out PLUGIN.zip"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.archive import write_zip_atomic
from designer.core.errors import PluginSourceError
from designer.core.findings import summary
from designer.core.render import render
from designer.core.specfile import read_spec


class Command(BaseCommand):
    help = "Build a plugin from a design spec into a zip of its source tree."

    def add_arguments(self, parser):
        parser.add_argument("spec", type=Path, help="design spec (YAML or JSON)")
        parser.add_argument("--out", required=True, type=Path, help="zip file to write")

    def handle(self, spec, out, **options):
        try:
            report = read_spec(spec)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            raise CommandError(f"{spec}: {summary(report.errors)}")
        for finding in report.warnings:
            self.stderr.write(str(finding))
        files = render(report.spec)
        try:
            write_zip_atomic(files, out)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        self.stdout.write(f"{len(files)} files -> {out}")
