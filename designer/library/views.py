"""The team library: list with filters, edit with history and optimistic locking, catalog
import, and use in projects."""

from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.accounts.teams import active_membership
from designer.core.catalog import MODE_TYPES, catalog_models, read_catalog
from designer.core.errors import PluginSourceError
from designer.core.preview import preview
from designer.core.spec import FEATURES
from designer.core.starter import starter_document
from designer.library import service
from designer.library.models import LibraryModel
from designer.library.transfer import export_fragment, models_from_upload
from designer.projects.formdata import apply_form
from designer.projects.highlight import highlight_yaml
from designer.projects.models import Project
from designer.projects.views_design import editor_choices

CATALOG = Path(__file__).with_name("data") / "litellm_model_prices.json"
MODEL_TYPES = sorted(set(MODE_TYPES.values()))
MAX_UPLOAD = 50 * 1024 * 1024  # Dify's own package limit


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


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def matches(item: LibraryModel, query, used: set[int]) -> bool:
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
        not query.get("used") or (item.pk in used) == (query["used"] == "yes"),
    ]
    low, high = number(query.get("context_min", "")), number(query.get("context_max", ""))
    if low is not None or high is not None:
        checks.append(
            isinstance(context, int)
            and (low is None or context >= low)
            and (high is None or context <= high)
        )
    top = number(query.get("price_max", ""))
    if top is not None:
        checks.append(price is not None and price <= top)
    return all(checks)


@login_required
def library_list(request):
    membership = team_membership(request)
    items = list(LibraryModel.objects.filter(team=membership.team))
    users = {item.pk: service.references_to(item) for item in items}
    used = {pk for pk, projects in users.items() if projects}
    shown = [item for item in items if matches(item, request.GET, used)]
    context = {
        "items": [(item, users[item.pk]) for item in shown],
        "query": request.GET,
        "model_types": MODEL_TYPES,
        "features": FEATURES,
        "can_edit": membership.allows(Role.EDITOR),
    }
    return render(request, "library/list.html", context)


@login_required
def export(request):
    membership = team_membership(request)
    items = list(LibraryModel.objects.filter(team=membership.team))
    used = {item.pk for item in items if service.references_to(item)}
    chosen = [item.definition for item in items if matches(item, request.GET, used)]
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
            models = models_from_upload(
                upload_file.name, upload_file.read(MAX_UPLOAD + 1)[:MAX_UPLOAD]
            )
        except PluginSourceError as exc:
            messages.error(request, f"Cannot import {upload_file.name}: {exc}")
            return redirect("library:upload")
        request.session[UPLOAD_KEY] = {"name": upload_file.name, "models": models}
    elif request.method == "POST" and request.POST.get("project"):
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


@login_required
def edit(request, pk):
    item = item_or_404(request, pk)
    if request.method == "POST":
        item = item_or_404(request, pk, Role.EDITOR)
        posted = apply_form({"definition": item.definition}, request.POST, ("definition",))
        try:
            version = int(request.POST.get("_version", ""))
        except ValueError:
            version = -1
        try:
            service.save_definition(item, posted["definition"], version, request.user)
        except service.Conflict as conflict:
            context = {
                "item": conflict.current,
                "mine": posted["definition"],
                "diff": service.field_diff(conflict.current.definition, posted["definition"]),
            }
            return render(request, "library/conflict.html", context, status=409)
        messages.success(request, f"Saved as revision {item.version}.")
        return redirect("library:edit", pk=item.pk)
    membership = item.team.memberships.filter(user=request.user).first()
    context = {
        "item": item,
        "doc": {"definition": item.definition},
        "users": service.references_to(item),
        "projects": Project.objects.filter(team=item.team),
        "can_edit": membership.allows(Role.EDITOR),
        **editor_choices(),
        **model_preview(item.definition),
    }
    return render(request, "library/edit.html", context)


@login_required
@require_POST
def preview_definition(request, pk):
    """The model file the form would give, as the user types (nothing is saved)."""
    item = item_or_404(request, pk)
    posted = apply_form({"definition": item.definition}, request.POST, ("definition",))
    return render(request, "projects/sections/_preview.html", model_preview(posted["definition"]))


@login_required
@require_POST
def clone(request, pk):
    item = item_or_404(request, pk, Role.EDITOR)
    definition = {**item.definition, "model": f"{item.model_id}-copy"}
    copy = service.create_definition(item.team, definition, request.user, item.tags, "cloned")
    return redirect("library:edit", pk=copy.pk)


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


@login_required
def history(request, pk):
    item = item_or_404(request, pk)
    revisions = list(item.revisions.all())
    by_number = {r.number: r for r in revisions}
    newer = by_number.get(int(request.GET.get("b", item.version) or 0))
    older = by_number.get(int(request.GET.get("a", max(1, item.version - 1)) or 0))
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
    return redirect("library:history", pk=pk)


@login_required
@require_POST
def use_in_project(request, pk):
    item = item_or_404(request, pk)
    project = team_object_or_404(
        request.user, Project.objects, Role.EDITOR, pk=request.POST.get("project")
    )
    entry = service.reference(item)
    if request.POST.get("mode") == "copy":
        entry.pop("library")
    document = dict(project.spec)
    document["models"] = [*service.models_of(document), entry]
    types = document["provider"].setdefault("supported_model_types", [])
    if item.model_type not in types:
        types.append(item.model_type)
    project.spec = document
    project.version += 1
    project.save()
    messages.success(request, f"{item.model_id} added to {project.name}.")
    return redirect("projects:models", pk=project.pk)


@login_required
def catalog(request):
    membership = team_membership(request)
    providers = {p for p in request.GET.getlist("provider") if p}
    types = {t for t in request.GET.getlist("type") if t}
    found = catalog_models(catalog_data(), providers=providers or None, model_types=types or None)
    search = request.GET.get("q", "").lower()
    if search:
        found = [m for m in found if search in m.key.lower()]
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
    existing = set(
        LibraryModel.objects.filter(team=membership.team).values_list("model_type", "model_id")
    )
    context = {
        "models": found[:200],
        "total": len(found),
        "existing": existing,
        "query": request.GET,
        "model_types": MODEL_TYPES,
        "can_edit": membership.allows(Role.EDITOR),
    }
    return render(request, "library/catalog.html", context)
