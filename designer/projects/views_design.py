"""The project's sections: Plugin, Provider, Models (and each model), Review & build.

Each section page shows a form beside the file it produces. Typing posts the form (debounced)
to ``autosave``: the draft is saved, valid or not (optimistic locking on the project's
version), and the preview partial comes back with the file and the findings.
"""

import base64
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from designer.accounts.access import Access, team_object_or_404
from designer.accounts.models import Role
from designer.core.bulk_edit import keep_positions_in_model_order
from designer.core.icons import IconError, clean_icon
from designer.core.pipeline import PipelineError, run_pipeline
from designer.core.spec import MODEL_TYPE_DIRS
from designer.editor.context import (
    LANGUAGES,
    credential_role_choices,
    editor_choices,
    new_model,
    posted_version,
    preview_context,
)
from designer.editor.formdata import FormError, apply_form
from designer.editor.highlight import highlight_yaml
from designer.projects.document import effective_document
from designer.projects.drafts import (
    draft_digests,
    outline_after_edit,
    save_outline,
    stored_document,
)
from designer.projects.models import Project
from designer.projects.readiness import readiness
from designer.projects.undo import last_change, save_undoable

SECTIONS = {
    # section: (preview section, editable spec prefixes)
    "plugin": ("manifest", ("manifest",)),
    "provider": ("provider", ("provider", "code")),
    "models": ("positions", ()),
}


def project_access(request, pk, role=Role.VIEWER) -> Access:
    return team_object_or_404(request.user, Project.objects, role, pk=pk)


def project_or_404(request, pk, role=Role.VIEWER) -> Project:
    return project_access(request, pk, role).obj


def section_context(access: Access, section, index=None) -> dict:
    project = access.obj
    document = effective_document(project)
    preview_section = "model" if section == "model" else SECTIONS[section][0]
    if section == "model":
        save_url = reverse("projects:save_model", args=[project.pk, index])
    else:
        save_url = reverse("projects:save", args=[project.pk, section])
    return {
        "save_url": save_url,
        "editor_token": secrets.token_urlsafe(16),
        "project": project,
        "doc": document,
        "section": section,
        "index": index,
        "can_edit": access.can_edit,
        "last_change": last_change(project) if access.can_edit else None,
        "languages": LANGUAGES,
        **editor_choices(),
        **preview_context(document, preview_section, index),
    }


@never_cache  # an editor page shown from the browser's cache would save an old form
@login_required
@require_GET
def section_page(request, pk, section):
    access = project_access(request, pk)
    context = section_context(access, section)
    document = context["doc"]
    privacy_path = (document.get("manifest") or {}).get("privacy") or "PRIVACY.md"
    context["privacy_text"] = ((document.get("files") or {}).get(privacy_path) or {}).get(
        "text", ""
    )
    if section == "provider":
        context["credential_roles"] = credential_role_choices(document)
    return render(request, f"projects/sections/{section}.html", context)


@never_cache  # an editor page shown from the browser's cache would save an old form
@login_required
@require_GET
def model_page(request, pk, index):
    access = project_access(request, pk)
    project = access.obj
    models = project.spec.get("models") or []
    if not 0 <= index < len(models):
        raise Http404
    context = section_context(access, "model", index)
    context["model"] = context["doc"]["models"][index]
    context["base"] = f"models[{index}]"
    library_id = models[index].get("library") if isinstance(models[index], dict) else None
    if library_id:
        # A referenced model shows the library's current definition and is edited there.
        context.update(library_id=library_id, can_edit=False)
        context["can_detach"] = access.can_edit
    return render(request, "projects/sections/model.html", context)


@login_required
@require_POST
def autosave(request, pk, section, index=None):
    project = project_or_404(request, pk, Role.EDITOR)
    if section == "model":
        editable, preview_section = (f"models[{index}]",), "model"
    elif section in SECTIONS and SECTIONS[section][1]:
        preview_section, editable = SECTIONS[section]
    else:
        raise Http404
    try:
        # The page sends the fields changed since its last acknowledged save (_partial), or
        # the whole form (its first save, after rows moved, after a conflict).
        partial = request.POST.get("_partial") == "1"
        document = apply_form(stored_document(project), request.POST, editable, partial)
    except FormError as exc:
        return HttpResponseBadRequest(
            f"Not saved: {exc}.", content_type="text/plain; charset=utf-8"
        )
    editor = request.POST.get("_editor", "")[:64]
    outline = outline_after_edit(project, document)
    # A post that changes nothing (a field's change event after its input event) saves nothing:
    # a new version would refuse the next page's first save as a conflict.
    unchanged = outline == project.outline
    conflict = not unchanged and not save_outline(project, outline, posted_version(request), editor)
    effective = effective_document(project, document)
    digests = draft_digests(outline, document, effective)
    context = {
        "project": project,
        "conflict": conflict,
        # Its out-of-band swaps (the saved version, the findings status): no request to ask.
        "htmx_partial": request.htmx,
        **preview_context(effective, preview_section, index, digests),
    }
    # Rendered without the request: the partial needs none of the context processors' queries.
    return HttpResponse(render_to_string("editor/_preview.html", context))


def save_change(request, project, document, done: str) -> None:
    """Save a one-click change (not a typed draft) and say ``done``, offering to undo it; a save
    at the same moment wins, and the person is told to try again."""
    if not save_undoable(request, project, document, done):
        messages.error(request, "Someone saved this project at the same time; try again.")


def change_models(request, project, change, done: str | Callable[[], str]) -> None:
    """Apply ``change`` to the project's models (it returns why it cannot, or None) and save it
    as an undoable change that says ``done`` (or what ``done()`` says once the change ran)."""
    document = dict(project.spec)
    document["models"] = list(document.get("models") or [])
    message = change(document)
    if message:
        messages.error(request, message)
    else:
        save_change(request, project, document, done() if callable(done) else done)


@login_required
@require_POST
def add_model(request, pk):
    project = project_or_404(request, pk, Role.EDITOR)
    model_type = request.POST.get("model_type", "")
    model_id = request.POST.get("model", "").strip()

    def add(document):
        if model_type not in MODEL_TYPE_DIRS:
            return "Choose a model type."
        if not model_id:
            return "Give the model's id, as the provider's API names it."
        document["models"].append(new_model(model_type, model_id))
        types = document["provider"].setdefault("supported_model_types", [])
        if model_type not in types:
            types.append(model_type)
        return None

    version = project.version
    change_models(request, project, add, f"Added the {model_type} model {model_id}.")
    if project.version != version:  # added: its editor is where one goes on
        return redirect("projects:model", pk=pk, index=len(project.spec["models"]) - 1)
    return redirect("projects:models", pk=pk)


def model_name(model) -> str:
    model_id = model.get("model") if isinstance(model, dict) else None
    return f"the model {model_id}" if model_id else "the model"


@login_required
@require_POST
def move_model(request, pk, index, direction):
    project = project_or_404(request, pk, Role.EDITOR)
    models = project.spec.get("models") or []
    if not 0 <= index < len(models):
        return redirect("projects:models", pk=pk)
    name, way = model_name(models[index]), "down" if direction == "down" else "up"

    def move(document):
        models = document["models"]
        same_type = [
            i
            for i, m in enumerate(models)
            if m.get("model_type") == models[index].get("model_type")
        ]
        place = same_type.index(index) + (1 if way == "down" else -1)
        if not 0 <= place < len(same_type):
            return f"Nothing changed: {name} cannot move {way} among the models of its type."
        other = same_type[place]
        models[index], models[other] = models[other], models[index]
        keep_positions_in_model_order(document, models[index].get("model_type"))
        return None

    change_models(request, project, move, f"Moved {name} {way}.")
    return redirect("projects:models", pk=pk)


@login_required
@require_POST
def delete_model(request, pk, index):
    project = project_or_404(request, pk, Role.EDITOR)
    models = project.spec.get("models") or []
    if 0 <= index < len(models):
        done = f"Deleted {model_name(models[index])}."
        change_models(request, project, lambda doc: doc["models"].pop(index) and None, done)
    return redirect("projects:models", pk=pk)


@login_required
@require_POST
def upload_icon(request, pk):
    project = project_or_404(request, pk, Role.EDITOR)
    upload = request.FILES.get("icon")
    if upload is None:
        messages.error(request, "Choose an SVG or PNG file.")
        return redirect("projects:plugin", pk=pk)
    try:
        extension, data = clean_icon(upload.name, upload.read(512 * 1024))
    except IconError as exc:
        messages.error(request, f"Icon refused: {exc}.")
        return redirect("projects:plugin", pk=pk)
    name = f"icon.{extension}"
    document = dict(project.spec)
    files = dict(document.get("files") or {})
    files[f"_assets/{name}"] = {"base64": base64.b64encode(data).decode()}
    document["files"] = files
    document["manifest"] = {**document["manifest"], "icon": name}
    provider = dict(document["provider"])
    for key in ("icon_small", "icon_large"):
        provider[key] = {"en_US": name}
    document["provider"] = provider
    done = f"Icon uploaded as _assets/{name}: the plugin and its provider show it."
    save_change(request, project, document, done)
    return redirect("projects:plugin", pk=pk)


@login_required
@require_POST
def save_privacy(request, pk):
    project = project_or_404(request, pk, Role.EDITOR)
    text = request.POST.get("privacy", "").strip()
    document = dict(project.spec)
    path = (document.get("manifest") or {}).get("privacy") or "PRIVACY.md"
    files = dict(document.get("files") or {})
    if text:
        files[path] = {"text": text + "\n"}
        done = f"{path} saved."
    else:
        files.pop(path, None)  # back to the generated one
        done = f"{path} emptied: the plugin ships the generated one."
    document["files"] = files
    save_change(request, project, document, done)
    return redirect("projects:plugin", pk=pk)


@login_required
@require_GET
def icon(request, pk):
    document = effective_document(project_or_404(request, pk))
    name = (document.get("manifest") or {}).get("icon", "")
    carried = (document.get("files") or {}).get(f"_assets/{name}")
    if not carried:
        raise Http404
    data = carried["text"].encode() if "text" in carried else base64.b64decode(carried["base64"])
    content_type = "image/svg+xml" if name.endswith(".svg") else "image/png"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def review_context(access: Access) -> dict:
    """Review shows every file the draft renders to and every finding, errors or not."""
    project = access.obj
    document = effective_document(project)
    result = run_pipeline(document)
    return {
        "project": project,
        "section": "review",
        "report": result.report,
        "files": [(path, len(data)) for path, data in result.files.items()],
        "rendered": result.files,
        "checklist": readiness(project, document, result.report, result.files),
        "can_edit": access.can_edit,
        "access": access,  # the builds panel reads the role from it
    }


@never_cache  # its checklist and builds are of the draft as it is now
@login_required
@require_GET
def review(request, pk):
    context = review_context(project_access(request, pk))
    return render(request, "projects/sections/review.html", context)


@login_required
@require_GET
def review_file(request, pk):
    """One rendered file: the file view's partial for htmx, else the Review page showing it."""
    context = review_context(project_access(request, pk))
    path = request.GET.get("path", "")
    if path not in context["rendered"]:
        raise Http404
    context["file"] = shown_file(path, context["rendered"][path])
    template = "projects/sections/review.html"
    return render(request, f"{template}#file" if request.htmx else template, context)


def shown_file(path: str, data: bytes) -> dict:
    try:
        text = data.decode()
    except UnicodeDecodeError:
        text = None
    highlighted = highlight_yaml(text) if text is not None and path.endswith(".yaml") else None
    return {"path": path, "text": text, "highlighted": highlighted, "size": len(data)}


@login_required
@require_GET
def download_tree(request, pk):
    project = project_or_404(request, pk)
    document = effective_document(project)
    try:
        result = run_pipeline(document, package=True)
    except PipelineError as exc:
        if exc.step == "validate":
            messages.error(request, "Fix the errors first: a plugin with errors cannot be built.")
        else:
            messages.error(request, f"The source zip cannot be made: {exc}")
        return redirect("projects:review", pk=pk)
    name = (document.get("manifest") or {}).get("name", "plugin")
    response = HttpResponse(result.source_zip, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-source.zip"'
    return response
