"""What the API answers with (these also make the OpenAPI document)."""

from datetime import datetime
from typing import Any

from ninja import Schema

from designer.builds.models import Build


class Created(Schema):
    id: int


class Saved(Schema):
    id: int
    version: int


class FindingOut(Schema):
    level: str
    path: str
    message: str


class ProjectOut(Schema):
    id: int
    name: str
    version: int
    updated_at: datetime


class StepOut(Schema):
    name: str
    state: str  # done, running, failed or waiting


class ArtifactOut(Schema):
    size: int
    sha256: str
    download: str


class BuildOut(Schema):
    id: int
    project: int
    status: str  # queued, running, succeeded or failed
    step: str
    steps: list[StepOut]
    plugin_version: str
    attempts: int
    error: str
    warnings: list[str]
    verification: dict[str, Any] | None
    source: ArtifactOut | None
    difypkg: ArtifactOut | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    changes: dict[str, Any] | None  # since the project's previous successful build


def artifact(build: Build, kind: str, size, sha256: str) -> dict | None:
    if size is None or not sha256:
        return None
    url = f"/api/v1/builds/{build.pk}/download/{kind}"
    return {"size": size, "sha256": sha256, "download": url}


def build_out(build: Build) -> dict:
    return {
        "id": build.pk,
        "project": build.project_id,
        "status": build.status,
        "step": build.step,
        "steps": [{"name": name, "state": state} for name, state in build.steps],
        "plugin_version": build.plugin_version,
        "attempts": build.attempts,
        "error": build.error,
        "warnings": build.warnings,
        "verification": build.verification,
        "source": artifact(build, "source", build.zip_size, build.zip_sha256),
        "difypkg": artifact(build, "difypkg", build.package_size, build.package_sha256),
        "created_at": build.created_at,
        "started_at": build.started_at,
        "finished_at": build.finished_at,
        "changes": build.changes,
    }


class LibraryItemOut(Schema):
    id: int
    model_type: str
    model: str
    version: int
    tags: list[str]
    updated_at: datetime


def library_item_out(item) -> dict:
    return {
        "id": item.pk,
        "model_type": item.model_type,
        "model": item.model_id,
        "version": item.version,
        "tags": item.tag_list,
        "updated_at": item.updated_at,
    }


class CatalogIn(Schema):
    keys: list[str]


class CatalogDefinitionOut(Schema):
    key: str
    provider: str
    definition: dict[str, Any]
    warnings: list[str]
    notes: list[str]  # cache and tiered prices, which Dify has no field for
