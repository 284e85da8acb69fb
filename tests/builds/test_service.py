"""The build service in this process (the worker tests run it in real workers)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from designer.builds import service, tasks
from designer.builds.models import Build, Status
from designer.core import pipeline
from designer.projects.models import Project
from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


def queued(project) -> Build:
    return Build.objects.create(
        project=project, snapshot=project.spec, spec_sha256=service.spec_digest(project.spec)
    )


def raise_(exc):
    def step(*args, **kwargs):
        raise exc

    return step


def test_a_build_over_the_time_limit_fails_with_that_reason(
    project, plugins_out, monkeypatch, settings
):
    settings.CELERY_BUILD_TIME_LIMIT = 300
    # Celery raises SoftTimeLimitExceeded inside the task when the soft limit passes.
    monkeypatch.setattr(pipeline, "render", raise_(SoftTimeLimitExceeded()))
    build = queued(project)
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.FAILED and build.step == "render"
    assert "longer than the limit of 300 s" in build.error
    assert list(plugins_out.rglob("*")) == []


def test_a_crash_still_ends_the_build_with_a_reason(project, plugins_out, monkeypatch):
    monkeypatch.setattr(pipeline, "render", raise_(KeyError("models")))
    build = queued(project)
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.FAILED
    assert build.error == "internal error: KeyError: 'models'"
    assert build.finished_at is not None


def test_an_unchanged_spec_reuses_the_stored_artifacts_of_its_project(project, plugins_out):
    earlier = finished_build(project)
    build = queued(project)
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.SUCCEEDED and build.reused_from == earlier
    assert (build.zip_name, build.package_sha256) == (earlier.zip_name, earlier.package_sha256)


def test_another_projects_build_of_the_same_spec_is_not_linked(project, plugins_out):
    other = Project.objects.create(team=project.team, name="Copy", spec=project.spec)
    finished_build(other)
    assert not service.reuse_earlier_build(queued(project))


def test_a_build_by_another_version_of_the_spec_core_is_not_reused(project, plugins_out):
    finished_build(project, renderer="0" * 64)
    build = queued(project)
    service.execute(build)  # renders, verifies with the SDK and stores afresh
    build.refresh_from_db()
    assert build.status == Status.SUCCEEDED, build.error
    assert build.reused_from is None and build.renderer == service.renderer_fingerprint()
    assert (plugins_out / build.package_name).stat().st_size == build.package_size


def test_a_build_whose_artifacts_were_cleaned_up_is_not_reused(project, plugins_out):
    earlier = finished_build(project)
    (plugins_out / earlier.zip_name).unlink()
    assert not service.reuse_earlier_build(queued(project))


def test_only_builds_running_past_twice_the_time_limit_are_failed(project, settings):
    settings.CELERY_BUILD_TIME_LIMIT = 300
    now = timezone.now()
    stale = finished_build(project, status="running", started_at=now - timedelta(seconds=601))
    recent = finished_build(project, status="running", started_at=now - timedelta(seconds=500))
    assert service.fail_stale_builds() == 1
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == Status.FAILED and "worker stopped" in stale.error
    assert recent.status == Status.RUNNING


def test_a_build_delivered_again_after_its_worker_died_too_often_fails(project, plugins_out):
    # reject_on_worker_lost puts the task back each time its worker dies: the third time, stop.
    build = finished_build(project, status="running", step="verify", attempts=service.MAX_ATTEMPTS)
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.FAILED and build.attempts == service.MAX_ATTEMPTS
    assert build.error == "the worker died 3 times during this build"


def test_a_worker_that_starts_retries_what_its_predecessor_took_and_never_finished(
    project, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.run_build, "delay", sent.append)
    running = finished_build(project, status="running", worker="w@h", attempts=1)
    taken = finished_build(project, status="queued", worker="w@h", attempts=0)
    give_up = finished_build(project, status="running", worker="w@h", attempts=3)
    other = finished_build(project, status="running", worker="other@h", attempts=1)
    assert sorted(service.recover_builds_of("w@h")) == [running.pk, taken.pk] == sorted(sent)
    now = Build.objects.in_bulk()
    assert [(now[b.pk].status, now[b.pk].worker) for b in (running, taken, give_up, other)] == [
        (Status.QUEUED, ""),
        (Status.QUEUED, ""),
        (Status.FAILED, "w@h"),
        (Status.RUNNING, "other@h"),
    ]


def test_a_worker_notes_each_build_it_takes(project):
    from celery.signals import task_received

    build = queued(project)
    done = finished_build(project, worker="")
    for pk in (build.pk, done.pk):
        request = SimpleNamespace(name=tasks.run_build.name, args=[pk], hostname="w@h")
        task_received.send(sender=None, request=request)
    build.refresh_from_db()
    done.refresh_from_db()
    assert (build.worker, done.worker) == ("w@h", "")


def test_an_offline_build_does_not_reuse_an_online_one(project, plugins_out):
    finished_build(project)
    build = queued(project)
    build.offline = True
    build.save()
    assert not service.reuse_earlier_build(build)


@pytest.mark.slow
def test_an_offline_build_packages_the_wheels(project, plugins_out):
    import io
    import zipfile

    build = queued(project)
    build.offline = True
    build.save()
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.SUCCEEDED, build.error
    package = (plugins_out / build.package_name).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert any(n.startswith("wheels/") and n.endswith(".whl") for n in names)
    requirements = zipfile.ZipFile(io.BytesIO(package)).read("requirements.txt").decode()
    assert "--no-index" in requirements


def test_a_build_records_what_changed_since_the_previous_successful_one(project, plugins_out):
    first = finished_build(project, plugin_version="0.0.1")
    spec = project.spec
    spec["models"][0]["pricing"]["input"] = "0.75"
    project.spec = spec
    project.save()
    build = queued(project)
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.SUCCEEDED, build.error
    assert (build.changes["since_build"], build.changes["since_version"]) == (first.pk, "0.0.1")
    assert build.changes["files"] == {
        "added": [],
        "removed": [],
        "changed": ["README.md", "models/llm/demo-chat.yaml"],
    }
    [model] = build.changes["models_changed"]
    assert (model["key"], model["fields"]) == ("llm/demo-chat", ["pricing.input"])
    assert build.changes["suggested_bump"] == "patch"


def test_the_first_successful_build_records_no_changes(project, plugins_out):
    build = queued(project)
    service.execute(build)
    build.refresh_from_db()
    assert build.status == Status.SUCCEEDED and build.changes is None
