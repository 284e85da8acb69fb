"""python manage.py generate_signing_key NAME: NAME.private.pem and NAME.public.pem (RSA-4096)."""

from django.core.management.base import BaseCommand, CommandError

from designer.core.signing import write_key_pair


class Command(BaseCommand):
    help = "Generate a key pair to sign plugin packages, as `dify signature generate` does."

    def add_arguments(self, parser):
        parser.add_argument("name", help="writes NAME.private.pem and NAME.public.pem")

    def handle(self, name, **options):
        try:
            private_path, public_path = write_key_pair(name)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"cannot write {exc.filename or name}: {exc.strerror}") from None
        self.stdout.write(f"private key -> {private_path} (keep it secret)")
        self.stdout.write(f"public key -> {public_path} (give it to Dify's plugin daemon)")
