import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from designer.builds.models import Build
from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


def test_old_builds_and_their_unshared_artifacts_are_deleted(project, plugins_out):
    old = finished_build(project, data=b"old", created_at=timezone.now() - timedelta(days=40))
    shared_old = finished_build(
        project, data=b"kept", created_at=timezone.now() - timedelta(days=40)
    )
    recent = finished_build(project, data=b"kept")
    call_command("cleanup_builds", days=30)
    assert list(Build.objects.all()) == [recent]
    assert not (plugins_out / old.zip_name).exists()
    assert (plugins_out / shared_old.zip_name).exists()  # a kept build still uses it


def test_stale_temporary_files_of_killed_writes_are_removed(project, plugins_out):
    build = finished_build(project)
    temp = (plugins_out / build.zip_name).parent / ".x.zip.abc.tmp"
    temp.write_bytes(b"half")
    old = (timezone.now() - timedelta(hours=1)).timestamp()
    os.utime(temp, (old, old))
    call_command("cleanup_builds")
    assert not temp.exists()
    assert (plugins_out / build.zip_name).exists()
