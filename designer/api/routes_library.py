"""The team's library of model definitions, and the catalog they can come from."""

from django.http import HttpResponse, JsonResponse
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
from designer.api.problems import Problem
from designer.api.schemas import (
    CatalogDefinitionOut,
    CatalogIn,
    Created,
    LibraryItemOut,
    Saved,
    library_item_out,
)
from designer.core.errors import PluginSourceError
from designer.library.models import LibraryModel

router = Router(tags=["library"])

MAX_CATALOG_KEYS = 1000
MODEL_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            mime: {"schema": {"type": "object", "description": "a design-spec model document"}}
            for mime in ("application/yaml", "application/json")
        },
    }
}


@router.get("/library", response=list[LibraryItemOut], summary="The team's library")
def list_library(request, model_type: str = ""):
    items = LibraryModel.objects.filter(team=membership_of(request).team_id)
    if model_type:
        items = items.filter(model_type=model_type)
    return [library_item_out(item) for item in items]


def posted_definition(request) -> dict:
    try:
        return bridge.checked_model(document_from_body(request, "a model definition"))
    except PluginSourceError as exc:
        raise Problem(422, "not a model definition", findings=[finding(str(exc))]) from None


def finding(message: str) -> dict:
    path, _, text = message.partition(": ")
    return {"level": "error", "path": path.removeprefix("models[0]."), "message": text}


@router.post(
    "/library",
    response={201: Created},
    summary="Add a definition (a model document in the body; ?tags=a,b)",
    openapi_extra=MODEL_BODY,
)
def create_item(request, tags: str = ""):
    membership = membership_of(request)
    if not membership.allows(Role.EDITOR):
        raise Problem(403, "your role in this team only reads")
    definition = posted_definition(request)
    try:
        item = bridge.create_definition(membership.team, definition, membership.user, tags)
    except bridge.DuplicateId as exc:
        raise Problem(409, str(exc)) from None
    return Status(201, {"id": item.pk})


@router.get("/library/{int:item_id}", summary="A definition; ETag is its version")
def get_item(request, item_id: int):
    item = bridge.library_item_of(membership_of(request), item_id, Role.VIEWER)
    response = JsonResponse({**library_item_out(item), "definition": item.definition})
    return with_etag(response, item.version)


@router.put(
    "/library/{int:item_id}",
    response=Saved,
    summary="Save a new revision; If-Match must name the version edited",
    openapi_extra=MODEL_BODY,
)
def put_item(request, item_id: int, response: HttpResponse, tags: str | None = None):
    membership = membership_of(request)
    item = bridge.library_item_of(membership, item_id, Role.EDITOR)

    def save(version: int) -> tuple[int, int]:
        definition = posted_definition(request)
        try:
            saved = bridge.save_definition(item, definition, version, membership.user, tags)
        except bridge.Conflict as exc:
            raise Stale(exc.current.version) from None
        except bridge.DuplicateId as exc:
            raise Problem(409, str(exc)) from None
        return saved.pk, saved.version

    return saved_if_matched(request, response, item.version, save)


@router.post(
    "/library/catalog",
    response=list[CatalogDefinitionOut],
    summary="Catalog keys in, design-spec model definitions out (nothing is saved)",
)
def catalog(request, body: CatalogIn):
    keys = list(dict.fromkeys(body.keys))
    if len(keys) > MAX_CATALOG_KEYS:
        raise Problem(422, f"at most {MAX_CATALOG_KEYS} keys at once", findings=[])
    found = bridge.catalog_models(membership_of(request).team, keys)
    unknown = sorted(set(keys) - {entry.key for entry in found})
    if unknown:
        detail = f"not in the catalog (or not a model Dify knows): {', '.join(unknown[:20])}"
        raise Problem(422, detail, findings=[], unknown=unknown)
    return [
        {
            "key": e.key,
            "provider": e.provider,
            "definition": e.model,
            "warnings": e.warnings,
            "notes": e.notes,
        }
        for e in found
    ]
