"""python manage.py cleanup_builds [--days N]: delete old builds and artifacts no build uses."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from designer.builds.models import Build
from designer.builds.service import fail_stale_builds, remove_temporary_files


class Command(BaseCommand):
    help = "Delete builds older than the retention period and artifacts no kept build uses."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.BUILD_RETENTION_DAYS)

    def handle(self, days, **options):
        stale = fail_stale_builds()
        cutoff = timezone.now() - timedelta(days=days)
        old = Build.objects.filter(created_at__lt=cutoff).exclude(status="running")
        names = set(old.values_list("zip_name", flat=True)) | set(
            old.values_list("package_name", flat=True)
        )
        deleted, _ = old.delete()
        kept = Build.objects.values_list("zip_name", "package_name")
        in_use = {name for pair in kept for name in pair}
        removed = 0
        for name in sorted(names - in_use - {""}):
            if default_storage.exists(name):
                default_storage.delete(name)
                removed += 1
        temporary = remove_temporary_files()
        self.stdout.write(
            f"{deleted} builds and {removed} artifacts deleted, {stale} stale builds failed, "
            f"{temporary} temporary files removed (retention {days} days)"
        )
