"""Endpoints that need no stored object: what the designer knows, and render a spec."""

import functools
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import Query, Router, Schema

from designer.api import bridge
from designer.api.http import document_from_body
from designer.api.problems import Problem, findings_json
from designer.core import archive, package, yamlio
from designer.core.api_styles import STYLES
from designer.core.model_types import MODEL_TYPES
from designer.core.pipeline import PipelineError
from designer.core.schema import design_spec_schema
from designer.core.spec import (
    CONFIGURATE_METHODS,
    FEATURES,
    FORM_TYPES,
    LANGUAGES,
    PARAMETER_TYPES,
    SPEC_VERSION,
)
from designer.core.templates import TEMPLATES

router = Router(tags=["design"])

SPEC_SCHEMA = {"type": "object", "description": "a design spec (JSON Schema: GET /metadata)"}
SPEC_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": SPEC_SCHEMA},
            "application/json": {"schema": SPEC_SCHEMA},
        },
    }
}


@functools.cache
def static_metadata() -> dict:
    return {
        "spec_version": SPEC_VERSION,
        "model_types": [
            {"model_type": t.model_type, "directory": t.directory} for t in MODEL_TYPES
        ],
        "features": list(FEATURES),
        "parameter_templates": TEMPLATES,
        "parameter_types": list(PARAMETER_TYPES),
        "credential_form_types": list(FORM_TYPES),
        "configurate_methods": list(CONFIGURATE_METHODS),
        "api_styles": [{"name": s.name, "label": s.label} for s in STYLES],
        "languages": list(LANGUAGES),
        "design_spec_schema": design_spec_schema(),
    }


@router.get("/metadata", auth=None, summary="What the designer knows (no token needed)")
def metadata(request):
    limits = {
        "max_archive_bytes": archive.MAX_TOTAL_BYTES,
        "max_archive_entries": archive.MAX_ENTRIES,
        "max_package_bytes": package.MAX_PACKAGE_BYTES,
        "max_yaml_bytes": yamlio.MAX_YAML_BYTES,
        "max_yaml_nodes": yamlio.MAX_YAML_NODES,
        "max_yaml_depth": yamlio.MAX_YAML_DEPTH,
        "max_request_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "rate_limit": {"requests": settings.API_RATE_LIMIT, "seconds": settings.API_RATE_WINDOW},
    }
    return {**static_metadata(), "limits": limits}


class RenderQuery(Schema):
    format: Literal["zip", "difypkg"] = "zip"


@router.post(
    "/render",
    summary="Render a design spec into the plugin's source zip or its .difypkg",
    description="Stateless: the spec in the body (YAML or JSON), the archive out; 422 with "
    "the findings when the spec has errors (warnings are sent in the X-Warnings header count).",
    openapi_extra=SPEC_BODY,
)
def render(request, query: Query[RenderQuery]):
    document = document_from_body(request)
    try:
        result = bridge.packaged(document)
    except PipelineError as exc:
        findings = findings_json(exc.report.findings) if exc.step == "validate" else []
        message = "the design spec has errors" if exc.step == "validate" else str(exc)
        raise Problem(422, message, findings=findings) from None
    report = result.report
    data = result.difypkg if query.format == "difypkg" else result.source_zip
    manifest = report.spec.manifest
    response = HttpResponse(data, content_type="application/zip")
    filename = f"{manifest.name}-{manifest.version}.{query.format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Warnings"] = str(len(report.warnings))
    return response
