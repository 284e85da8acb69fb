"""The team library: list with filters, edit with history and optimistic locking, catalog
import. Which plugins use a definition comes from :mod:`designer.library.uses` (the library does
not know the app that keeps plugins); adding a definition to a plugin is that app's page."""

import copy
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from designer.accounts.access import Access, team_object_or_404
from designer.accounts.models import Role
from designer.accounts.teams import active_membership
from designer.core.catalog import flag_disagreements
from designer.core.errors import PluginSourceError
from designer.core.fieldpath import MAX_DEPTH, nesting_depth
from designer.core.limits import MAX_PACKAGE_BYTES
from designer.core.spec import FEATURES, MODEL_TYPE_DIRS
from designer.core.starter import starter_document
from designer.editor.context import editor_choices, new_model, posted_version, preview_context
from designer.editor.formdata import FormError, apply_form
from designer.library import catalogs, service, uses
from designer.library.filters import MODEL_TYPES, checked_filters, matches, shown_filters, used_keys
from designer.library.models import LibraryModel
from designer.library.transfer import export_fragment, models_from_upload

MAX_UPLOAD = MAX_PACKAGE_BYTES  # Dify's own package limit
PLAIN_TEXT = "text/plain; charset=utf-8"


def team_membership(request, role=Role.VIEWER):
    membership = active_membership(request)
    if membership is None:
        raise PermissionDenied
    if not membership.allows(role):
        raise PermissionDenied
    return membership


def import_and_report(request, import_models, team, models):
    """Import ``models`` with ``import_models`` (a service import: the team, the models, the
    user, whether to update duplicates) and say on the library's list what it did."""
    update_duplicates = request.POST.get("duplicates") == "update"
    added, updated, skipped = import_models(team, models, request.user, update_duplicates)
    messages.success(
        request, f"{len(added)} added, {len(updated)} updated, {len(skipped)} duplicates skipped."
    )
    return redirect("library:list")


@login_required
def library_list(request):
    membership = team_membership(request)
    items = list(LibraryModel.objects.filter(team=membership.team))
    users = uses.users_by_definition(membership.team)
    query = shown_filters(request)
    shown = [item for item in items if matches(item, query, used_keys(users))]
    context = {
        "items": [(item, users.get(item.pk, [])) for item in shown],
        "query": request.GET,
        "model_types": MODEL_TYPES,
        "features": FEATURES,
        "plugins": uses.source().plugins(membership.team),
        "can_edit": membership.can_edit,
    }
    return render(request, "library/list.html", context)


@login_required
def export(request):
    membership = team_membership(request)
    items = list(LibraryModel.objects.filter(team=membership.team))
    used = used_keys(uses.users_by_definition(membership.team))
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
        found = uses.source().definitions(membership.team, request.POST["project"])
        if found is None:
            raise Http404
        name, definitions = found
        request.session[UPLOAD_KEY] = {"name": name, "models": definitions}
    elif request.method == "POST":
        stored = request.session.pop(UPLOAD_KEY, None) or {"models": [], "name": ""}
        picked = {int(i) for i in request.POST.getlist("index") if i.isdigit()}
        definitions = [
            (m, f"imported from {stored['name']}")
            for i, m in enumerate(stored["models"])
            if i in picked
        ]
        return import_and_report(request, service.import_definitions, membership.team, definitions)
    stored = request.session.get(UPLOAD_KEY)
    existing = set(
        LibraryModel.objects.filter(team=membership.team).values_list("model_type", "model_id")
    )
    rows = [
        (i, m, (m.get("model_type"), m.get("model")) in existing)
        for i, m in enumerate(stored["models"] if stored else [])
    ]
    plugins = uses.source().plugins(membership.team)
    context = {"stored": stored, "rows": rows, "plugins": plugins}
    return render(request, "library/upload.html", context)


def model_preview(definition: dict) -> dict:
    document = starter_document("library", "library", "Library")
    document["models"] = [definition]
    document["provider"]["supported_model_types"] = [definition.get("model_type", "llm")]
    context = preview_context(document, "model", 0)
    for finding in context["findings"]:
        finding["path"] = finding["path"].replace("models[0]", "definition", 1)
    return context


def item_access(request, pk, role=Role.VIEWER) -> Access:
    return team_object_or_404(request.user, LibraryModel.objects, role, pk=pk)


def item_or_404(request, pk, role=Role.VIEWER) -> LibraryModel:
    return item_access(request, pk, role).obj


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


def edit_page(request, access, definition=None, tags=None, version=None, error="", status=200):
    """The editor on ``definition`` (the saved one unless a refused save is shown again)."""
    item, source = access.obj, uses.source()
    definition = item.definition if definition is None else definition
    users = uses.users_of(item)
    context = {
        "item": item,
        "doc": {"definition": definition},
        "users": [(p, item.pk in source.changed_since_last_build(p)) for p in users],
        "tags": item.tags if tags is None else tags,
        "version": item.version if version is None else version,
        "error": error,
        "plugins": source.plugins(item.team_id),
        "add_url": source.add_url(item.pk),
        "can_edit": access.can_edit,
        **editor_choices(),
        **model_preview(definition),
    }
    context["findings"] += catalog_findings(item, definition)
    return render(request, "library/edit.html", context, status=status)


def catalog_findings(item: LibraryModel, definition: dict) -> list[dict]:
    """Where the definition imported from a catalog entry now contradicts that entry's flags."""
    entry = catalogs.catalog_data(item.team_id).get(service.catalog_key(item) or "")
    if not isinstance(entry, dict):
        return []
    found = flag_disagreements(definition, entry, "definition.features")
    return [{"level": f.level, "path": f.path, "message": f.message} for f in found]


@never_cache  # an editor page shown from the browser's cache would post an old revision
@login_required
def edit(request, pk):
    access = item_access(request, pk)
    if request.method != "POST":
        return edit_page(request, access)
    if not access.can_edit:
        raise PermissionDenied
    item = access.obj
    try:
        definition = posted_definition(request, item)
    except FormError as exc:
        return edit_page(request, access, error=f"Not saved: {exc}.", status=400)
    tags = clean_tags(request.POST.get("_tags", item.tags))
    version = posted_version(request)
    if len(tags) > MAX_TAGS:
        error = f"Not saved: tags take at most {MAX_TAGS} characters."
        return edit_page(request, access, definition, tags, version, error, status=400)
    try:
        service.save_definition(item, definition, version, request.user, tags=tags)
    except service.Conflict as conflict:
        return conflict_page(request, conflict.current, definition, tags)
    except service.DuplicateId as exc:
        return edit_page(request, access, definition, tags, version, f"Not saved: {exc}.", 400)
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
    context = {**model_preview(posted["definition"]), "htmx_partial": request.htmx}
    return render(request, "editor/_preview.html", context)


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
    users = uses.users_of(item)
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
