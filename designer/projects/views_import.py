"""Import a project from an upload, export its design spec, add a generated piece it lacks.

An upload is held in memory only (never a temporary file), refused before its body is read
when it says it is too large, and read by the same lossless core as the command line.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.accounts.teams import active_membership
from designer.core.errors import PluginSourceError
from designer.core.render.pieces import OFFERS, with_needs
from designer.core.upload import LIMITS_TEXT, MAX_UPLOAD_BYTES, spec_document_yaml, spec_from_upload
from designer.projects.models import Project
from designer.projects.views_design import save_change

# Room for the form's other fields and the multipart framing around the file.
UPLOAD_SLACK_BYTES = 64 * 1024
TOO_LARGE = f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB."


class MemoryUpload(FileUploadHandler):
    """Keeps an uploaded file in memory up to ``limit`` bytes and drops a larger one."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.size = io.BytesIO(), 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, None
        )


def editor_membership(request):
    membership = active_membership(request)
    if membership is not None and not membership.allows(Role.EDITOR):
        raise PermissionDenied
    return membership


@csrf_exempt
@login_required
def import_project(request):
    # The upload handler must be in place before anything reads the body, CSRF check included.
    if editor_membership(request) is None:
        return redirect("accounts:new_team")
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and declared > MAX_UPLOAD_BYTES + UPLOAD_SLACK_BYTES:
        return import_page(request, TOO_LARGE)  # refused before the body is read
    handler = MemoryUpload(request, MAX_UPLOAD_BYTES)
    request.upload_handlers = [handler]
    return _import_project(request, handler)


def import_page(request, problem: str | None = None):
    context = {"problem": problem, "limits": LIMITS_TEXT}
    return render(request, "projects/import.html", context, status=400 if problem else 200)


@csrf_protect
def _import_project(request, handler: MemoryUpload):
    membership = active_membership(request)
    problem = None
    if request.method == "POST":
        try:
            project = project_from_request(request, handler, membership)
        except PluginSourceError as exc:
            problem = str(exc)
        else:
            messages.success(request, f"Imported {project.name}: every finding is below.")
            return redirect("projects:review", pk=project.pk)
    return import_page(request, problem)


def project_from_request(request, handler: MemoryUpload, membership) -> Project:
    upload = request.FILES.get("plugin")
    if handler.too_large:
        raise PluginSourceError(TOO_LARGE)
    if upload is None:
        raise PluginSourceError("Choose a plugin .zip or .difypkg, or a design spec file.")
    spec = spec_from_upload(upload.name, upload.read())
    name = spec.manifest.label.get("en_US") or spec.manifest.name
    return Project.objects.create(
        team=membership.team, name=name[:100], spec=spec.to_document(), created_by=request.user
    )


@login_required
@require_GET
def export_spec(request, pk):
    project = team_object_or_404(request.user, Project.objects, Role.VIEWER, pk=pk).obj
    name = (project.spec.get("manifest") or {}).get("name") or "plugin"
    response = HttpResponse(spec_document_yaml(project.spec), content_type="application/yaml")
    response["Content-Disposition"] = f'attachment; filename="{name}-spec.yaml"'
    return response


@login_required
@require_POST
def add_piece(request, pk, piece):
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=pk).obj
    if piece not in OFFERS:
        raise Http404
    document = dict(project.spec)
    code = dict(document.get("code") or {})
    added = list(code.get("added") or [])
    new = [p for p in with_needs(piece) if p not in added]
    if new:
        document["code"] = {**code, "added": added + new}
        save_change(request, project, document, f"Added to the rebuild: {', '.join(new)}.")
    return redirect("projects:review", pk=pk)
