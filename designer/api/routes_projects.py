"""Projects, their spec and findings, and their builds."""

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, JsonResponse
from ninja import Router, Status

from designer.accounts.models import Role
from designer.api import bridge
from designer.api.http import (
    Stale,
    document_from_body,
    membership_of,
    saved_if_matched,
    with_etag,
)
from designer.api.problems import Problem, findings_json
from designer.api.routes_stateless import SPEC_BODY
from designer.api.schemas import BuildOut, Created, FindingOut, ProjectOut, Saved, build_out
from designer.core.errors import PluginSourceError
from designer.core.limits import MAX_PACKAGE_BYTES
from designer.core.yamlio import dump_yaml
from designer.projects.models import Project

router = Router(tags=["projects"])

MAX_ARCHIVE_BYTES = MAX_PACKAGE_BYTES  # Dify's own package limit
PROJECT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            **SPEC_BODY["requestBody"]["content"],
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


@router.get("/projects", response=list[ProjectOut], summary="The team's projects")
def list_projects(request):
    return Project.objects.filter(team=membership_of(request).team_id)


@router.post(
    "/projects",
    response={201: Created},
    summary="Create a project from a design spec (body) or a plugin archive (multipart `file`)",
    openapi_extra=PROJECT_BODY,
)
def create_project(request, name: str = ""):
    membership = membership_of(request)
    if not membership.allows(Role.EDITOR):
        raise Problem(403, "your role in this team only reads")
    document = posted_document(request)
    report = bridge.validate_document(document)
    if report.spec is None:
        raise Problem(422, "not a design spec", findings=findings_json(report.findings))
    manifest = report.spec.manifest
    project = Project.objects.create(
        team_id=membership.team_id,
        name=(name or manifest.label.get("en_US") or manifest.name)[:100],
        spec=document,
        created_by=membership.user,
    )
    return Status(201, {"id": project.pk})


def posted_document(request) -> dict:
    if not request.content_type.startswith("multipart/form-data"):
        return document_from_body(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise Problem(400, "send the plugin archive as the multipart field 'file'")
    if upload.size > MAX_ARCHIVE_BYTES:
        raise Problem(413, f"{upload.name}: larger than {MAX_ARCHIVE_BYTES // 2**20} MB")
    try:
        return bridge.document_of_archive(upload.name, upload.read())
    except PluginSourceError as exc:
        raise Problem(422, f"cannot import {upload.name}: {exc}", findings=[]) from None


@router.get(
    "/projects/{int:project_id}/spec",
    summary="The project's design spec (JSON, or YAML with ?format=yaml); ETag is its version",
)
def get_spec(request, project_id: int, format: str = "json"):
    project = bridge.project_of(membership_of(request), project_id, Role.VIEWER)
    if format == "yaml":
        response = HttpResponse(dump_yaml(project.spec), content_type="application/yaml")
    else:
        response = JsonResponse(project.spec)
    return with_etag(response, project.version)


@router.put(
    "/projects/{int:project_id}/spec",
    response=Saved,
    summary="Replace the design spec; If-Match must name the version edited",
    openapi_extra=SPEC_BODY,
)
def put_spec(request, project_id: int, response: HttpResponse):
    project = bridge.project_of(membership_of(request), project_id, Role.EDITOR)

    def save(version: int) -> tuple[int, int]:
        document = document_from_body(request)
        report = bridge.validate_document(document)
        if report.spec is None:
            raise Problem(422, "not a design spec", findings=findings_json(report.findings))
        if not bridge.save_project_spec(project, document, version):
            project.refresh_from_db(fields=["version"])
            raise Stale(project.version)
        return project.pk, project.version

    return saved_if_matched(request, response, project.version, save)


@router.get(
    "/projects/{int:project_id}/findings",
    response=list[FindingOut],
    summary="Errors and warnings of the effective document (library references resolved)",
)
def findings(request, project_id: int):
    project = bridge.project_of(membership_of(request), project_id, Role.VIEWER)
    return findings_json(bridge.validate_document(bridge.effective_document(project)).findings)


@router.post("/projects/{int:project_id}/builds", response={202: Created}, summary="Start a build")
def start_build(request, project_id: int, response: HttpResponse):
    membership = membership_of(request)
    project = bridge.project_of(membership, project_id, Role.EDITOR)
    build = bridge.start_build(project, membership.user)
    response["Location"] = f"/api/v1/builds/{build.pk}"
    return Status(202, {"id": build.pk})


@router.get("/builds/{int:build_id}", response=BuildOut, tags=["builds"], summary="A build")
def get_build(request, build_id: int):
    return build_out(bridge.build_of(membership_of(request), build_id))


ARTIFACT_KINDS = {"source": "zip", "difypkg": "difypkg"}


@router.get(
    "/builds/{int:build_id}/download/{kind}",
    tags=["builds"],
    summary="A succeeded build's source zip (`source`) or package (`difypkg`)",
)
def download(request, build_id: int, kind: str):
    build = bridge.build_of(membership_of(request), build_id)
    if kind not in ARTIFACT_KINDS:
        raise Problem(404, "download 'source' or 'difypkg'")
    extension = ARTIFACT_KINDS[kind]
    name = build.artifact_name(extension)
    if not name:
        raise Problem(409, f"the build has no artifacts (it is {build.status})")
    if not default_storage.exists(name):
        raise Problem(410, "this artifact was cleaned up; build again")
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=build.download_name(extension),
        content_type="application/zip",
    )
