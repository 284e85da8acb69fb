"""python manage.py import_plugin SOURCE --spec-out SPEC.yaml"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.errors import PluginSourceError
from designer.core.parse import import_plugin
from designer.core.specfile import write_spec
from designer.core.validation import validate


class Command(BaseCommand):
    help = "Read a plugin folder, .zip or .difypkg and write its design spec."

    def add_arguments(self, parser):
        parser.add_argument("source", help="plugin folder, .zip or .difypkg")
        parser.add_argument("--spec-out", required=True, type=Path, help="design spec to write")

    def handle(self, source, spec_out, **options):
        try:
            spec = import_plugin(source)
            write_spec(spec, spec_out)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"cannot write {spec_out}: {exc.strerror}") from None
        for finding in validate(spec).findings:
            self.stderr.write(str(finding))
        self.stdout.write(f"{len(spec.models)} models from {source} -> {spec_out}")
