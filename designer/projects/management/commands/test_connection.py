"""python manage.py test_connection SPEC --credentials FILE.json [--model ID ...]: build the
plugin, load it with Dify's SDK and call the API with these credentials; one line per check
(``ok NAME`` or ``FAIL NAME: why``), exit 0 only when every check passes.

Calls obey the outbound guard: an address in a loopback, private, link-local or metadata range
is refused unless PLAYGROUND_ALLOWED_HOSTS lists it."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.core.errors import PluginSourceError
from designer.core.specfile import read_spec_document
from designer.core.tryout import TryoutInputError, check_connection
from designer.core.tryout.run import DEFAULT_CALL_TIME_LIMIT


class Command(BaseCommand):
    help = "Call the API through the plugin's own code with these credentials, as Dify would."

    def add_arguments(self, parser):
        parser.add_argument("spec", type=Path, help="design spec (YAML or JSON)")
        parser.add_argument(
            "--credentials",
            required=True,
            help="JSON file of credential field -> value ('-' reads standard input)",
        )
        parser.add_argument(
            "--model",
            action="append",
            default=[],
            help="a model id of the design to call (repeatable; default: the first of each type)",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=DEFAULT_CALL_TIME_LIMIT,
            help=f"seconds each call may take (default {DEFAULT_CALL_TIME_LIMIT:g})",
        )

    def handle(self, spec, credentials, model, time_limit, **options):
        if time_limit <= 0:
            raise CommandError("--time-limit must be more than 0 seconds")
        values = read_credentials(credentials)
        try:
            document = read_spec_document(spec)
            checks = check_connection(document, values, model, call_time_limit=time_limit)
        except PluginSourceError as exc:
            raise CommandError(str(exc)) from None
        except TryoutInputError as exc:
            raise CommandError(f"{spec}: {exc}") from None
        for check in checks:
            self.stdout.write(check.line)
        if not all(check.ok for check in checks):
            sys.exit(1)


def read_credentials(source: str) -> dict:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {source}: {getattr(exc, 'strerror', exc)}") from None
    try:
        values = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"{source}: not JSON ({exc})") from None
    if not isinstance(values, dict):
        raise CommandError(f"{source}: must be a JSON object of credential field -> value")
    return values
