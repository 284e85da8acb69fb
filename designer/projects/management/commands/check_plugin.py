"""python manage.py check_plugin PATH [--public-key KEY.pem ...]: one finding per line, exit 1 on
an error, so a plugin repository can run it in CI."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.check import check_source, finding_line
from designer.core.errors import PluginSourceError


class Command(BaseCommand):
    help = "Check a plugin folder, .zip, .difypkg or design spec as Dify and its Marketplace would."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="plugin folder, .zip, .difypkg or spec")
        parser.add_argument(
            "--public-key",
            type=Path,
            action="append",
            default=[],
            help="also verify the package's signature with this key (repeatable)",
        )

    def handle(self, path, public_key, **options):
        try:
            keys = [key.read_bytes() for key in public_key]
        except OSError as exc:
            raise CommandError(f"cannot read {exc.filename}: {exc.strerror}") from None
        try:
            findings = check_source(path, keys)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        try:
            for finding in findings:
                self.stdout.write(finding_line(finding))
            self.stdout.flush()
        except BrokenPipeError:  # `check_plugin ... | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if any(finding.level == "error" for finding in findings):
            sys.exit(1)
