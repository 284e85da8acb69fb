"""python manage.py spec_schema [--out docs/design-spec.schema.json]"""

from pathlib import Path

from django.core.management.base import BaseCommand

from designer.core.archive import write_bytes_atomic
from designer.core.schema import design_spec_schema_json


class Command(BaseCommand):
    help = "Print (or write) the JSON Schema of the design-spec document."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="file to write instead of printing")

    def handle(self, out, **options):
        text = design_spec_schema_json()
        if out is None:
            self.stdout.write(text, ending="")
        else:
            write_bytes_atomic(text.encode(), out)
