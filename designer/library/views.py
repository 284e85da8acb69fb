"""The team library: list with filters, edit with history and optimistic locking, catalog
import, and use in projects."""

import copy
import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.accounts.teams import active_membership
from designer.core.catalog import MODE_TYPES, catalog_models, read_catalog
from designer.core.errors import PluginSourceError
from designer.core.fieldpath import MAX_DEPTH, nesting_depth
from designer.core.preview import preview
from designer.core.spec import FEATURES, MODEL_TYPE_DIRS
from designer.core.starter import starter_document
from designer.library import service
from designer.library.models import LibraryModel
from designer.library.transfer import export_fragment, models_from_upload
from designer.projects.formdata import FormError, apply_form
from designer.projects.highlight import highlight_yaml
from designer.projects.models import Project
from designer.projects.views_design import (
    change_models,
    editor_choices,
    new_model,
    posted_version,
)

CATALOG = Path(__file__).with_name("data") / "litellm_model_prices.json"
MODEL_TYPES = sorted(set(MODE_TYPES.values()))
MAX_UPLOAD = 50 * 1024 * 1024  # Dify's own package limit
PLAIN_TEXT = "text/plain; charset=utf-8"


@cache
def catalog_data() -> dict:
    return read_catalog(CATALOG.read_bytes())


def team_membership(request, role=Role.VIEWER):
    membership = active_membership(request)
    if membership is None:
        raise PermissionDenied
    if not membership.allows(role):
        raise PermissionDenied
    return membership


NUMBER_FILTERS = {
    "context_min": "Context ≥",
    "context_max": "Context ≤",
    "price_min": "Input price ≥",
    "price_max": "Input price ≤",
}


def number(text: str) -> Decimal | None:
    """A finite decimal, or None (empty, not a number, NaN or infinite)."""
    try:
        value = Decimal(text) if text else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


def checked_filters(query) -> tuple[dict, list[str]]:
    """The filters with the number ones that are not numbers left out, and a note on each."""
    kept = {key: query.get(key, "") for key in query}
    notes = []
    for key, label in NUMBER_FILTERS.items():
        text = kept.get(key, "").strip()
        if text and number(text) is None:
            kept.pop(key)
            shown = text if len(text) <= 20 else text[:20] + "..."
            notes.append(f"Filter “{label}” ignored: “{shown}” is not a number.")
    return kept, notes


def shown_filters(request) -> dict:
    """The filters for a page, each one ignored shown as a warning above it."""
    query, notes = checked_filters(request.GET)
    for note in notes:
        messages.warning(request, note)
    return query


def matches(item: LibraryModel, query, used: dict[int, set[str]]) -> bool:
    definition = item.definition
    properties = definition.get("model_properties") or {}
    pricing = definition.get("pricing") or {}
    context = properties.get("context_size")
    price = number(str(pricing.get("input", "")))
    checks = [
        not query.get("q") or query["q"].lower() in f"{item.model_id} {item.tags}".lower(),
        not query.get("type") or item.model_type == query["type"],
        not query.get("feature") or query["feature"] in (definition.get("features") or []),
        not query.get("tag") or query["tag"] in item.tag_list,
        not query.get("currency") or pricing.get("currency") == query["currency"],
        not query.get("deprecated")
        or bool(definition.get("deprecated")) == (query["deprecated"] == "yes"),
        used_by_matches(item, query.get("used", ""), used),
    ]
    low, high = number(query.get("context_min", "")), number(query.get("context_max", ""))
    if low is not None or high is not None:
        checks.append(
            isinstance(context, int)
            and (low is None or context >= low)
            and (high is None or context <= high)
        )
    cheapest, dearest = number(query.get("price_min", "")), number(query.get("price_max", ""))
    if cheapest is not None or dearest is not None:
        checks.append(
            price is not None
            and (cheapest is None or price >= cheapest)
            and (dearest is None or price <= dearest)
        )
    return all(checks)


def used_by_matches(item: LibraryModel, wanted: str, used: dict[int, set[str]]) -> bool:
    """``wanted``: "" (any), "yes", "no", or a project's pk (used by that project)."""
    users = used.get(item.pk, set())
    if wanted in ("", "yes", "no"):
        return not wanted or bool(users) == (wanted == "yes")
    return wanted in users


def used_keys(users: dict[int, list[Project]]) -> dict[int, set[str]]:
    return {pk: {str(p.pk) for p in projects} for pk, projects in users.items()}


@login_required
def library_list(request):
    membership = team_membership(request)
    items = list(LibraryModel.objects.filter(team=membership.team))
    users = service.references_in(membership.team)
    query = shown_filters(request)
    shown = [item for item in items if matches(item, query, used_keys(users))]
    context = {
        "items": [(item, users.get(item.pk, [])) for item in shown],
        "query": request.GET,
        "model_types": MODEL_TYPES,
        "features": FEATURES,
        "projects": Project.objects.filter(team=membership.team).order_by("name"),
        "can_edit": membership.allows(Role.EDITOR),
    }
    return render(request, "library/list.html", context)


@login_required
def export(request):
    membership = team_membership(request)
    items = list(LibraryModel.objects.filter(team=membership.team))
    used = used_keys(service.references_in(membership.team))
    query, notes = checked_filters(request.GET)
    if notes:  # a download cannot show a note: exporting more than asked would be wrong
        return HttpResponseBadRequest(" ".join(notes), content_type=PLAIN_TEXT)
    chosen = [item.definition for item in items if matches(item, query, used)]
    response = HttpResponse(export_fragment(chosen), content_type="application/yaml")
    response["Content-Disposition"] = 'attachment; filename="library-models.yaml"'
    return response


UPLOAD_KEY = "library_upload"


@login_required
def upload(request):
    """Step 1: a fragment or plugin is read and its models listed; step 2 adds those picked."""
    membership = team_membership(request, Role.EDITOR)
    if request.method == "POST" and "file" in request.FILES:
        upload_file = request.FILES["file"]
        try:
            if upload_file.size > MAX_UPLOAD:
                raise PluginSourceError(f"larger than {MAX_UPLOAD // 2**20} MB")
            models = models_from_upload(upload_file.name, upload_file.read())
        except PluginSourceError as exc:
            messages.error(request, f"Cannot import {upload_file.name}: {exc}")
            return redirect("library:upload")
        request.session[UPLOAD_KEY] = {"name": upload_file.name, "models": models}
    elif request.method == "POST" and request.POST.get("project"):
        if not request.POST["project"].isdigit():
            raise Http404
        project = team_object_or_404(
            request.user, Project.objects, pk=request.POST["project"], team_id=membership.team_id
        )
        models = service.models_of(service.resolve_library_refs(project.spec, project.team))
        definitions = [
            {k: v for k, v in m.items() if k not in service.KEPT_ON_REFERENCE}
            for m in models
            if isinstance(m, dict)
        ]
        request.session[UPLOAD_KEY] = {"name": project.name, "models": definitions}
    elif request.method == "POST":
        stored = request.session.pop(UPLOAD_KEY, None) or {"models": [], "name": ""}
        picked = {int(i) for i in request.POST.getlist("index") if i.isdigit()}
        definitions = [
            (m, f"imported from {stored['name']}")
            for i, m in enumerate(stored["models"])
            if i in picked
        ]
        added, updated, skipped = service.import_definitions(
            membership.team, definitions, request.user, request.POST.get("duplicates") == "update"
        )
        messages.success(
            request,
            f"{len(added)} added, {len(updated)} updated, {len(skipped)} duplicates skipped.",
        )
        return redirect("library:list")
    stored = request.session.get(UPLOAD_KEY)
    existing = set(
        LibraryModel.objects.filter(team=membership.team).values_list("model_type", "model_id")
    )
    rows = [
        (i, m, (m.get("model_type"), m.get("model")) in existing)
        for i, m in enumerate(stored["models"] if stored else [])
    ]
    projects = Project.objects.filter(team=membership.team)
    context = {"stored": stored, "rows": rows, "projects": projects}
    return render(request, "library/upload.html", context)


def model_preview(definition: dict) -> dict:
    document = starter_document("library", "library", "Library")
    document["models"] = [definition]
    document["provider"]["supported_model_types"] = [definition.get("model_type", "llm")]
    shown = preview(document, "model", 0)
    findings = [
        {
            "level": f.level,
            "path": f.path.replace("models[0]", "definition", 1),
            "message": f.message,
        }
        for f in shown.findings
    ]
    return {"preview": shown, "highlighted": highlight_yaml(shown.text), "findings": findings}


def item_or_404(request, pk, role=Role.VIEWER) -> LibraryModel:
    return team_object_or_404(request.user, LibraryModel.objects, role, pk=pk)


MAX_TAGS = 255  # the tags column


def posted_definition(request, item: LibraryModel) -> dict:
    """The definition the editor posted: its form fields, or a whole definition (JSON) when
    the conflict page sends someone's unsaved version again."""
    whole = request.POST.get("_definition_json")
    if whole is None:
        return apply_form({"definition": item.definition}, request.POST, ("definition",))[
            "definition"
        ]
    too_deep = FormError(f"the definition sent again nests deeper than {MAX_DEPTH} levels")
    try:
        definition = json.loads(whole)
    except RecursionError:  # Python's parser gives up at about 1000 levels
        raise too_deep from None
    except ValueError:
        definition = None
    if not isinstance(definition, dict):
        raise FormError("the definition sent again is not a JSON object")
    if nesting_depth(definition) > MAX_DEPTH:
        raise too_deep
    return definition


def clean_tags(text: str) -> str:
    return ",".join(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def edit_page(request, item, definition=None, tags=None, version=None, error="", status=200):
    """The editor on ``definition`` (the saved one unless a refused save is shown again)."""
    definition = item.definition if definition is None else definition
    membership = item.team.memberships.filter(user=request.user).first()
    users = service.references_to(item)
    context = {
        "item": item,
        "doc": {"definition": definition},
        "users": [(p, str(item.pk) in service.changed_since_last_build(p)) for p in users],
        "tags": item.tags if tags is None else tags,
        "version": item.version if version is None else version,
        "error": error,
        "projects": Project.objects.filter(team=item.team).order_by("name"),
        "can_edit": membership.allows(Role.EDITOR),
        **editor_choices(),
        **model_preview(definition),
    }
    return render(request, "library/edit.html", context, status=status)


@login_required
def edit(request, pk):
    item = item_or_404(request, pk)
    if request.method != "POST":
        return edit_page(request, item)
    item = item_or_404(request, pk, Role.EDITOR)
    try:
        definition = posted_definition(request, item)
    except FormError as exc:
        return edit_page(request, item, error=f"Not saved: {exc}.", status=400)
    tags = clean_tags(request.POST.get("_tags", item.tags))
    version = posted_version(request)
    if len(tags) > MAX_TAGS:
        error = f"Not saved: tags take at most {MAX_TAGS} characters."
        return edit_page(request, item, definition, tags, version, error, status=400)
    try:
        service.save_definition(item, definition, version, request.user, tags=tags)
    except service.Conflict as conflict:
        return conflict_page(request, conflict.current, definition, tags)
    except service.DuplicateId as exc:
        return edit_page(request, item, definition, tags, version, f"Not saved: {exc}.", 400)
    messages.success(request, f"Saved as revision {item.version}.")
    return redirect("library:edit", pk=item.pk)


def conflict_page(request, current: LibraryModel, mine: dict, tags: str):
    """Both versions side by side, the fields that differ, and a way to save mine anyway."""
    context = {
        "item": current,
        "mine_json": json.dumps(mine),
        "tags": tags,
        "diff": service.field_diff(current.definition, mine),
        "theirs_yaml": model_preview(current.definition)["highlighted"],
        "mine_yaml": model_preview(mine)["highlighted"],
    }
    return render(request, "library/conflict.html", context, status=409)


@login_required
def new_definition(request):
    """A new definition from its type and id; the editor then fills in the rest."""
    membership = team_membership(request, Role.EDITOR)
    model_type = request.POST.get("model_type", "llm")
    model_id = request.POST.get("model", "").strip()
    error = ""
    if request.method == "POST":
        if model_type not in MODEL_TYPE_DIRS:
            error = "Choose a model type."
        elif not model_id:
            error = "Give the model's id, as the provider's API names it."
        else:
            try:
                item = service.create_definition(
                    membership.team, new_model(model_type, model_id), request.user
                )
            except service.DuplicateId as exc:
                error = f"{str(exc)[0].upper()}{str(exc)[1:]}."
            else:
                return redirect("library:edit", pk=item.pk)
    context = {
        "model_types": list(MODEL_TYPE_DIRS),
        "chosen_type": model_type,
        "model_id": model_id,
        "error": error,
    }
    return render(request, "library/new.html", context, status=400 if error else 200)


@login_required
@require_POST
def preview_definition(request, pk):
    """The model file the form would give, as the user types (nothing is saved)."""
    item = item_or_404(request, pk)
    try:
        posted = apply_form({"definition": item.definition}, request.POST, ("definition",))
    except FormError as exc:
        return HttpResponseBadRequest(f"Not shown: {exc}.", content_type=PLAIN_TEXT)
    return render(request, "projects/sections/_preview.html", model_preview(posted["definition"]))


@login_required
@require_POST
def clone(request, pk):
    item = item_or_404(request, pk, Role.EDITOR)
    model_id = service.free_model_id(item.team, item.model_type, f"{item.model_id}-copy")
    definition = {**copy.deepcopy(item.definition), "model": model_id}
    clone_item = service.create_definition(
        item.team, definition, request.user, item.tags, f"cloned from {item.model_id}"
    )
    messages.success(request, f"{item.model_id} cloned as {model_id}.")
    return redirect("library:edit", pk=clone_item.pk)


@login_required
@require_POST
def delete(request, pk):
    item = item_or_404(request, pk, Role.EDITOR)
    users = service.references_to(item)
    if users:
        names = ", ".join(p.name for p in users)
        messages.error(request, f"{item.model_id} is used by {names}: remove it there first.")
        return redirect("library:edit", pk=pk)
    item.delete()
    messages.success(request, f"{item.model_id} deleted.")
    return redirect("library:list")


def revision_number(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


@login_required
def history(request, pk):
    item = item_or_404(request, pk)
    revisions = list(item.revisions.select_related("author"))
    by_number = {r.number: r for r in revisions}
    newer = by_number.get(revision_number(request.GET.get("b"), item.version))
    older = by_number.get(revision_number(request.GET.get("a"), max(1, item.version - 1)))
    diff = service.field_diff(older.definition, newer.definition) if older and newer else []
    context = {"item": item, "revisions": revisions, "older": older, "newer": newer, "diff": diff}
    return render(request, "library/history.html", context)


@login_required
@require_POST
def restore(request, pk, number):
    item = item_or_404(request, pk, Role.EDITOR)
    revision = item.revisions.filter(number=number).first()
    if revision is not None:
        try:
            service.save_definition(
                item, revision.definition, item.version, request.user, f"restored {number}"
            )
            messages.success(request, f"Revision {number} restored as revision {item.version}.")
        except service.Conflict:
            messages.error(request, "Someone saved at the same time; try again.")
        except service.DuplicateId as exc:
            messages.error(request, f"Revision {number} not restored: {exc}.")
    return redirect("library:history", pk=pk)


@login_required
@require_POST
def use_in_project(request, pk):
    """Add the definition to one of the team's projects, by reference (it follows the library)
    or as a copy (it diverges)."""
    item = item_or_404(request, pk)
    project_pk = request.POST.get("project", "")
    if not project_pk.isdigit():
        raise Http404
    project = team_object_or_404(
        request.user, Project.objects, Role.EDITOR, pk=project_pk, team_id=item.team_id
    )
    entry = service.reference(item)
    if request.POST.get("mode") == "copy":
        entry.pop("library")

    def add(document):
        if any(service.identity(m) == service.identity(entry) for m in document["models"]):
            return f"{project.name} already has a {item.model_type} model named {item.model_id}."
        provider = document.get("provider")
        if not isinstance(provider, dict):
            return f"{project.name} has no provider section to list the model's type in."
        document["models"].append(entry)
        types = provider.setdefault("supported_model_types", [])
        if item.model_type not in types:
            types.append(item.model_type)
        return None

    version = project.version
    change_models(request, project, add)
    if project.version != version:
        messages.success(request, f"{item.model_id} added to {project.name}.")
    if request.POST.get("next") == "pick":
        return redirect("library:pick", project_pk=project.pk)
    return redirect("projects:models", pk=project.pk)


@login_required
def pick_for_project(request, project_pk):
    """The team's definitions to add to a project, by reference or as a copy."""
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_pk)
    present = {service.identity(m) for m in service.models_of(project.spec) if isinstance(m, dict)}
    items = LibraryModel.objects.filter(team=project.team)
    users = used_keys(service.references_in(project.team))
    query = shown_filters(request)
    shown = [item for item in items if matches(item, query, users)]
    context = {
        "project": project,
        "rows": [(item, service.identity(item.definition) in present) for item in shown],
        "query": request.GET,
        "model_types": MODEL_TYPES,
    }
    return render(request, "library/pick.html", context)


@login_required
@require_POST
def detach(request, project_pk, index):
    """A project's referenced model becomes its own copy (the library's current definition),
    which the project then edits freely."""
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_pk)
    resolved = service.models_of(service.resolve_library_refs(project.spec, project.team))
    if not 0 <= index < len(resolved) or not isinstance(resolved[index], dict):
        raise Http404

    def make_copy(document):
        if not document["models"][index].get("library"):
            return "This model is already the project's own."
        document["models"][index] = {k: v for k, v in resolved[index].items() if k != "library"}
        return None

    change_models(request, project, make_copy)
    return redirect("projects:model", pk=project.pk, index=index)


@cache
def catalog_providers() -> list[str]:
    return sorted({m.provider for m in catalog_models(catalog_data()) if m.provider})


def catalog_entry_or_404(key: str):
    entry = catalog_data().get(key)
    found = catalog_models({key: entry}) if isinstance(entry, dict) else []
    if not found:
        raise Http404
    return found[0]


@login_required
def catalog(request):
    """Step 1 filters and previews the catalog; step 2 (POST) imports the ticked entries."""
    membership = team_membership(request)
    if request.method == "POST":
        if not membership.allows(Role.EDITOR):
            raise PermissionDenied
        keys = set(request.POST.getlist("key"))
        chosen = [m for m in catalog_models(catalog_data()) if m.key in keys]
        added, updated, skipped = service.import_catalog_models(
            membership.team, chosen, request.user, request.POST.get("duplicates") == "update"
        )
        messages.success(
            request,
            f"{len(added)} added, {len(updated)} updated, {len(skipped)} duplicates skipped.",
        )
        return redirect("library:list")
    providers = {p for p in request.GET.getlist("provider") if p}
    types = {t for t in request.GET.getlist("type") if t}
    found = catalog_models(catalog_data(), providers=providers or None, model_types=types or None)
    search = request.GET.get("q", "").lower()
    if search:
        found = [m for m in found if search in m.key.lower()]
    existing = set(
        LibraryModel.objects.filter(team=membership.team).values_list("model_type", "model_id")
    )
    context = {
        "rows": [(m, service.identity(m.model) in existing) for m in found[:200]],
        "total": len(found),
        "query": request.GET,
        "model_types": MODEL_TYPES,
        "providers": catalog_providers(),
        "can_edit": membership.allows(Role.EDITOR),
    }
    return render(request, "library/catalog.html", context)


@login_required
def catalog_entry(request):
    """One catalog entry as the model file it would give, with its warnings."""
    team_membership(request)
    entry = catalog_entry_or_404(request.GET.get("key", ""))
    context = {"entry": entry, **model_preview(entry.model)}
    template = "library/_catalog_entry.html" if request.htmx else "library/catalog_entry.html"
    return render(request, template, context)
