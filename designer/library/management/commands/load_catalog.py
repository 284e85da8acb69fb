"""python manage.py load_catalog FILE [--team TEAM_NAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.accounts.models import Team
from designer.core.errors import PluginSourceError
from designer.library import catalogs


class Command(BaseCommand):
    help = (
        "Load a model catalog (LiteLLM's model_prices_and_context_window.json, or gzipped) "
        "for every team without its own, or with --team for one team."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--team", help="the team's name (default: the whole installation)")

    def handle(self, file, team, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        owner = None
        if team is not None:
            teams = list(Team.objects.filter(name=team)[:2])
            if not teams:
                raise CommandError(f"no team named {team!r}")
            if len(teams) > 1:
                raise CommandError(f"several teams are named {team!r}; rename one")
            owner = teams[0]
        if path.stat().st_size > catalogs.MAX_CATALOG_BYTES:
            raise CommandError(f"{file}: larger than {catalogs.MAX_CATALOG_BYTES // 2**20} MB")
        try:
            loaded = catalogs.load_catalog(owner, path.name, path.read_bytes())
        except PluginSourceError as exc:
            raise CommandError(f"{file}: {exc}") from None
        scope = f"team {team}" if owner else "every team without its own"
        self.stdout.write(f"loaded {loaded.entries} entries from {path.name} for {scope}")
