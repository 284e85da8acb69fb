"""Every call the API makes into the core and into other apps, one small function each, so a
change there (the core pipeline, the effective document, the access helpers) is made here."""

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import Http404

from designer.builds import service as builds
from designer.builds.models import Build
from designer.core import catalog
from designer.core.parse import import_plugin
from designer.core.pipeline import Result, run_pipeline
from designer.core.validation import Report, validate
from designer.library import catalogs, transfer
from designer.library import service as library
from designer.library.models import LibraryModel
from designer.projects import document as projects_document
from designer.projects import drafts
from designer.projects.models import Project
from designer.tryout import service as tryout
from designer.tryout.models import TryoutRun

TooManyRuns = tryout.TooManyRuns  # the team's rate limit for runs that call its API
TryoutInputError = tryout.TryoutInputError  # credentials or models the run cannot use
Conflict = library.Conflict  # someone saved the definition since
DuplicateId = library.DuplicateId  # the team has a definition of that type and id


def validate_document(document: dict) -> Report:
    return validate(document)


def packaged(document: dict) -> Result:
    """The plugin made from ``document`` (the one pipeline: validate, render, package);
    PipelineError says why not."""
    return run_pipeline(document, package=True)


def document_of_archive(name: str, data: bytes) -> dict:
    """The design-spec document of an uploaded plugin .zip or .difypkg (the core's hostile
    input refusals apply: PluginSourceError with the reason)."""
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / (Path(name).name or "plugin.zip")
        archive.write_bytes(data)
        return import_plugin(archive).to_document()


def effective_document(project: Project) -> dict:
    """The project's document with library references resolved (what a build builds)."""
    return projects_document.effective_document(project)


def save_project_spec(project: Project, document: dict, version: int) -> bool:
    """Save if nobody saved since ``version``; False on a conflict (nothing overwritten)."""
    return drafts.save_draft(project, document, version)


def team_object(membership, queryset, role: str, team: str = "team", **lookup):
    """An object the token's team owns: 404 for any other team's (even one the user is in:
    a token speaks for one team), 403 when the user's role there is below ``role``."""
    obj = queryset.filter(**{team: membership.team_id}, **lookup).first()
    if obj is None:
        raise Http404
    if not membership.allows(role):
        raise PermissionDenied
    return obj


def project_of(membership, project_id: int, role: str) -> Project:
    return team_object(membership, Project.objects, role, pk=project_id)


def build_of(membership, build_id: int) -> Build:
    return team_object(membership, Build.objects, "viewer", team="project__team", pk=build_id)


def library_item_of(membership, item_id: int, role: str) -> LibraryModel:
    return team_object(membership, LibraryModel.objects, role, pk=item_id)


def start_build(project: Project, user) -> Build:
    return builds.start_build(project, user)


def create_definition(team, definition: dict, user, tags: str) -> LibraryModel:
    return library.create_definition(team, definition, user, tags=tags, note="created (API)")


def save_definition(item: LibraryModel, definition: dict, version: int, user, tags):
    return library.save_definition(item, definition, version, user, "edited (API)", tags)


def checked_model(document) -> dict:
    """A model document whose structure holds, without project-only keys (else the
    PluginSourceError naming the field)."""
    return transfer.checked_model(document, 0)


def catalog_models(team, keys: list[str]) -> list[catalog.CatalogModel]:
    """The entries with these keys of the team's catalog, as design-spec models."""
    data = catalogs.catalog_data(team)
    return catalog.catalog_models({k: data[k] for k in keys if isinstance(data.get(k), dict)})


def start_tryout(project: Project, user, credentials, models) -> TryoutRun:
    """Queue a test connection run; TryoutInputError or TooManyRuns say why not."""
    if models is not None and not isinstance(models, list):
        raise TryoutInputError("models must be a list of model ids")
    return tryout.start_run(project, user, credentials, models)


def wait_for_tryout(run: TryoutRun, timeout: float) -> TryoutRun:
    return tryout.wait_for(run, timeout)
