from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.builds import health
from designer.builds.changes import apply_bump, pending_bump
from designer.builds.models import Build
from designer.builds.service import snapshot_for, start_build
from designer.projects.models import Project

PAGE = "builds/project_builds.html"  # the page, its panel (#panel) and a build's status (#status)


@require_GET
@never_cache
def healthz(request):
    checks = health.health(deep=request.GET.get("deep") == "1")
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if ok else 503)


@login_required
@require_GET
def project_builds(request, project_id):
    access = team_object_or_404(request.user, Project.objects, pk=project_id)
    template = PAGE + "#panel" if request.htmx else PAGE
    return render(request, template, {"project": access.obj, "access": access})


@login_required
@require_POST
def start(request, project_id):
    access = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_id)
    project = access.obj
    start_build(project, request.user, offline=request.POST.get("offline") == "1")
    if request.htmx:
        return render(request, PAGE + "#panel", {"project": project, "access": access})
    return redirect("builds:project", project_id=project.pk)


@login_required
@require_GET
@never_cache
def status(request, build_id):
    build = team_object_or_404(request.user, Build.objects, team="project__team", pk=build_id).obj
    response = render(request, PAGE + "#status", {"build": build})
    if build.is_done:
        trigger_client_event(response, "build-finished")  # the panel reloads its history
    return response


@login_required
@require_GET
def download(request, build_id, kind):
    build = team_object_or_404(request.user, Build.objects, team="project__team", pk=build_id).obj
    if kind not in ("zip", "difypkg") or not build.artifact_name(kind):
        raise Http404
    name = build.artifact_name(kind)
    if not default_storage.exists(name):
        raise Http404("this artifact was cleaned up; build again")
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=build.download_name(kind),
        content_type="application/zip",
    )


@login_required
@require_POST
def bump(request, project_id):
    """Apply the suggested version bump and its CHANGELOG entry (as the person worded it)."""
    access = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_id)
    project = access.obj
    message = bumped_message(request, project)
    if request.htmx:
        context = {"project": project, "access": access, "bump_message": message}
        return render(request, PAGE + "#panel", context)
    messages.info(request, message)
    return redirect("builds:project", project_id=project.pk)


def bumped_message(request, project) -> str:
    pending = pending_bump(project, snapshot_for(project))
    draft_version = request.POST.get("draft_version", "")
    if pending is None or pending.version != request.POST.get("version"):
        return "The draft changed since: look at the suggested version again."
    entry = request.POST.get("changelog", "")
    if not draft_version.isdigit() or not apply_bump(
        project, pending.version, entry, int(draft_version)
    ):
        return "Someone saved the draft since: look at the suggestion again."
    return f"Version {pending.version} set" + (", CHANGELOG.md updated." if entry.strip() else ".")
