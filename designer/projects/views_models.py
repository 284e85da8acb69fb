"""The Models page: every model of the plugin in a table (searched, filtered, sorted, each with
its findings count), and edits of the selected models at once.

The table is the page's ``table`` partial, swapped by htmx as the filters change. A bulk edit is
one save of the draft, refused like an autosave when someone saved since the page was loaded
(the selection names models by their place in that version), and can be undone
(designer/projects/undo.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.accounts.models import Role
from designer.core.bulk_edit import BulkEditError, bulk_edit
from designer.core.limits import DESIGNER_MODEL_KEYS
from designer.core.model_list import SORTS, ModelQuery, model_rows, shown_rows
from designer.core.spec import FEATURES, MODEL_TYPE_DIRS, PARAMETER_TEMPLATES
from designer.core.validation import validate
from designer.editor.context import PRICE_UNITS, posted_version, preview_context
from designer.library import service
from designer.library.models import LibraryModel
from designer.projects.document import effective_document
from designer.projects.drafts import draft_digests, stored_document
from designer.projects.library_use import changed_since_last_build
from designer.projects.model_rows_html import rows_html
from designer.projects.undo import last_change, save_undoable
from designer.projects.views_design import project_access, project_or_404

CONFLICT = (
    "Not saved: someone else saved this project after you opened the page, so the selection "
    "may name other models now. Nothing was changed; here is the list as it is, select again."
)


@login_required
@require_GET
def models_page(request, pk):
    access = project_access(request, pk)
    project = access.obj
    document = stored_document(project)
    effective = effective_document(project, document)
    digests = draft_digests(project.outline, document, effective)
    report = validate(effective, digests)
    stored, built = service.models_of(document), service.models_of(effective)
    query = ModelQuery.of(request.GET)
    rows = shown_rows(model_rows(stored, built, report.findings), query)
    cells = [row.cells() for row in rows]
    model_url = reverse("projects:models", args=[project.pk])  # + index + "/": a model's page
    changed_refs = changed_since_last_build(project) if any(r.library for r in rows) else ()
    context = {
        "project": project,
        "section": "models",
        "can_edit": access.can_edit,
        "rows": cells,
        "rows_html": rows_html(cells, model_url, access.can_edit, changed_refs),
        "total": len(stored),
        "query": request.GET,
        "model_types": list(MODEL_TYPE_DIRS),
        "features": FEATURES,
        "templates": PARAMETER_TEMPLATES,
        "price_units": PRICE_UNITS,
        "sorts": SORTS,
    }
    template = "projects/sections/models.html"
    if request.htmx:
        return render(request, f"{template}#table", context)
    context["last_change"] = last_change(project) if access.can_edit else None
    context.update(preview_context(effective, "positions", None, digests))
    return render(request, template, context)


def back_to_list(request, pk):
    """The Models page with the filters the bulk edit was made under."""
    shown = request.POST.get("shown", "")
    url = reverse("projects:models", args=[pk])
    return redirect(f"{url}?{shown}" if shown and len(shown) < 2000 else url)


def selected_indices(request) -> list[int]:
    return [int(i) for i in request.POST.getlist("selected") if i.isdigit() and len(i) < 6]


@login_required
@require_POST
def bulk(request, pk):
    project = project_or_404(request, pk, Role.EDITOR)
    version, action = posted_version(request), request.POST.get("action", "")
    if version != project.version:
        messages.error(request, CONFLICT)
        return back_to_list(request, pk)
    document = stored_document(project)
    indices = selected_indices(request)
    try:
        if action in LIBRARY_ACTIONS:
            edit = LIBRARY_ACTIONS[action](request, project, document, indices)
        else:
            edit = bulk_edit(document, indices, action, request.POST)
    except BulkEditError as exc:
        messages.error(request, f"Nothing changed: {exc}.")
        return back_to_list(request, pk)
    # A library action may leave the draft as it was: then there is nothing to save (or undo).
    if edit.document is document:
        messages.success(request, edit.message)
    elif not save_undoable(request, project, edit.document, edit.message):
        messages.error(request, CONFLICT)
    return back_to_list(request, pk)


class LibraryEdit:
    """A bulk edit that reaches the team library (the same shape as the core's)."""

    def __init__(self, document: dict, message: str):
        self.document, self.message = document, message


def own_models(document: dict, indices: list[int]) -> list[tuple[int, dict]]:
    """The selected models that are the project's own (not references), or BulkEditError."""
    models = service.models_of(document)
    chosen = [i for i in sorted(set(indices)) if 0 <= i < len(models)]
    if not chosen:
        raise BulkEditError("select at least one model")
    own = [(i, models[i]) for i in chosen if isinstance(models[i], dict)]
    own = [(i, m) for i, m in own if not m.get("library")]
    if not own:
        raise BulkEditError("the selected models already follow the library")
    return own


def send_to_library(request, project, document, indices) -> LibraryEdit:
    """Each selected own model becomes a team library definition (a copy: the project's model
    stays its own until linked); one the library has already is left as it is."""
    own = own_models(document, indices)
    definitions = [
        ({k: v for k, v in model.items() if k not in DESIGNER_MODEL_KEYS}, f"from {project.name}")
        for _, model in own
    ]
    added, _, skipped = service.import_definitions(project.team, definitions, request.user, False)
    message = f"Sent {len(added)} to the team library"
    if skipped:
        message += f"; {len(skipped)} it had already (same type and id) were left as they are"
    return LibraryEdit(document, message + ".")


def link_to_library(request, project, document, indices) -> LibraryEdit:
    """Each selected own model becomes a reference to the library definition of its type and
    id, keeping its file path; one without such a definition stays as it is."""
    own = own_models(document, indices)
    definitions = {
        (item.model_type, item.model_id): item
        for item in LibraryModel.objects.filter(
            team=project.team, model_id__in={str(m.get("model")) for _, m in own}
        )
    }
    models = list(document["models"])
    linked = 0
    for i, model in own:
        item = definitions.get(service.identity(model))
        if item is not None:
            kept = {k: model[k] for k in service.KEPT_ON_REFERENCE if k in model}
            models[i] = {**service.reference(item), **kept}
            linked += 1
    if not linked:
        raise BulkEditError("the library has no definition of the selected models' type and id")
    missing = len(own) - linked
    message = f"Linked {linked} to the team library; they follow it now"
    if missing:
        message += f"; {missing} the library does not have stay the project's own"
    return LibraryEdit({**document, "models": models}, message + ".")


LIBRARY_ACTIONS = {"send-to-library": send_to_library, "link-to-library": link_to_library}
