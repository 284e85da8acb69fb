"""python manage.py create_api_token USERNAME --team TEAM_NAME [--name NAME]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from designer.accounts.models import Membership
from designer.api.tokens import create_token


class Command(BaseCommand):
    help = "Make an API token for a member of a team; prints the token once (it is not stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--team", required=True, help="the team's name")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, username, team, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        memberships = Membership.objects.filter(user=user, team__name=team).select_related("team")
        if not memberships:
            raise CommandError(f"{username} is not a member of a team named {team!r}")
        if len(memberships) > 1:
            raise CommandError(f"{username} is in several teams named {team!r}; rename one")
        membership = memberships[0]
        _, secret = create_token(user, membership.team, name)
        self.stderr.write(f"token for {username} in {team} ({membership.role}); shown only once:")
        self.stdout.write(secret)
