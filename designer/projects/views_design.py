"""The project's sections: Plugin, Provider, Models (and each model), Review & build.

Each section page shows a form beside the file it produces. Typing posts the form (debounced)
to ``autosave``: the draft is saved, valid or not (optimistic locking on the project's
version), and the preview partial comes back with the file and the findings.
"""

import base64
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.core import layout
from designer.core.archive import zip_tree
from designer.core.preview import preview
from designer.core.render import render as render_files
from designer.core.spec import FEATURES, FORM_TYPES, MODEL_TYPE_DIRS, PARAMETER_TEMPLATES
from designer.core.templates import TEMPLATES
from designer.core.validation import validate
from designer.library.service import changed_since_last_build, resolve_library_refs
from designer.projects.formdata import FormError, apply_form
from designer.projects.highlight import highlight_yaml
from designer.projects.icons import IconError, clean_icon
from designer.projects.models import Project
from designer.projects.readiness import readiness

SECTIONS = {
    # section: (preview section, editable spec prefixes)
    "plugin": ("manifest", ("manifest",)),
    "provider": ("provider", ("provider", "code")),
    "models": ("positions", ()),
}
PRICE_UNITS = [("0.000001", "1M tokens"), ("0.001", "1K tokens")]
LANGUAGES = [("zh_Hans", "Chinese"), ("ja_JP", "Japanese"), ("pt_BR", "Portuguese")]


def project_or_404(request, pk, role=Role.VIEWER) -> Project:
    return team_object_or_404(request.user, Project.objects, role, pk=pk)


def can_edit(request, project) -> bool:
    membership = project.team.memberships.filter(user=request.user).first()
    return bool(membership and membership.allows(Role.EDITOR))


def preview_context(document, section, index=None) -> dict:
    shown = preview(document, section, index)
    findings = [{"level": f.level, "path": f.path, "message": f.message} for f in shown.findings]
    return {"preview": shown, "highlighted": highlight_yaml(shown.text), "findings": findings}


def editor_choices() -> dict:
    """The choices the model and provider forms offer."""
    return {
        "model_types": list(MODEL_TYPE_DIRS),
        "features": FEATURES,
        "form_types": FORM_TYPES,
        "templates": {name: TEMPLATES[name] for name in PARAMETER_TEMPLATES},
        "price_units": PRICE_UNITS,
    }


def section_context(request, project, section, index=None) -> dict:
    preview_section = "model" if section == "model" else SECTIONS[section][0]
    if section == "model":
        save_url = reverse("projects:save_model", args=[project.pk, index])
    else:
        save_url = reverse("projects:save", args=[project.pk, section])
    return {
        "save_url": save_url,
        "editor_token": secrets.token_urlsafe(16),
        "project": project,
        "doc": project.spec,
        "section": section,
        "index": index,
        "can_edit": can_edit(request, project),
        "languages": LANGUAGES,
        **editor_choices(),
        **preview_context(project.spec, preview_section, index),
    }


@login_required
@require_GET
def section_page(request, pk, section):
    project = project_or_404(request, pk)
    context = section_context(request, project, section)
    privacy_path = (project.spec.get("manifest") or {}).get("privacy") or "PRIVACY.md"
    context["privacy_text"] = ((project.spec.get("files") or {}).get(privacy_path) or {}).get(
        "text", ""
    )
    if section == "models":
        context["groups"] = model_groups(resolve_library_refs(project.spec, project.team))
        context["changed_refs"] = changed_since_last_build(project)
    return render(request, f"projects/sections/{section}.html", context)


@login_required
@require_GET
def model_page(request, pk, index):
    project = project_or_404(request, pk)
    models = project.spec.get("models") or []
    if not 0 <= index < len(models):
        raise Http404
    context = section_context(request, project, "model", index)
    context["model"] = models[index]
    context["base"] = f"models[{index}]"
    library_id = models[index].get("library") if isinstance(models[index], dict) else None
    if library_id:
        # A referenced model shows the library's current definition and is edited there.
        resolved = resolve_library_refs(project.spec, project.team)
        context.update(preview_context(resolved, "model", index))
        context.update(
            doc=resolved, model=resolved["models"][index], library_id=library_id, can_edit=False
        )
        context["can_detach"] = can_edit(request, project)
    return render(request, "projects/sections/model.html", context)


def model_groups(document) -> list[tuple[str, list[tuple[int, dict]]]]:
    models = document.get("models") or []
    groups: dict[str, list] = {}
    for i, model in enumerate(models):
        if isinstance(model, dict):
            groups.setdefault(str(model.get("model_type", "?")), []).append((i, model))
    return list(groups.items())


def save_draft(project: Project, document: dict, version: int, editor: str = "") -> bool:
    """Save if nobody else saved since ``version`` (the same ``editor`` page may have);
    False on a conflict, and nothing is overwritten."""
    unchanged = Q(version=version) | (Q(last_editor=editor) & ~Q(last_editor=""))
    saved = Project.objects.filter(unchanged, pk=project.pk).update(
        spec=document, version=F("version") + 1, last_editor=editor
    )
    if saved:
        project.refresh_from_db(fields=["spec", "version", "last_editor"])
    return bool(saved)


def posted_version(request) -> int:
    try:
        return int(request.POST.get("_version", ""))
    except ValueError:
        return -1


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
        document = apply_form(project.spec, request.POST, editable)
    except FormError as exc:
        return HttpResponseBadRequest(
            f"Not saved: {exc}.", content_type="text/plain; charset=utf-8"
        )
    editor = request.POST.get("_editor", "")[:64]
    conflict = not save_draft(project, document, posted_version(request), editor)
    context = {
        "project": project,
        "conflict": conflict,
        **preview_context(document, preview_section, index),
    }
    return render(request, "projects/sections/_preview.html", context)


def save_change(request, project, document) -> None:
    """Save a one-click change (not a typed draft); a save at the same moment wins, and the
    person is told to try again."""
    if not save_draft(project, document, project.version):
        messages.error(request, "Someone saved this project at the same time; try again.")


def change_models(request, project, change) -> None:
    document = dict(project.spec)
    document["models"] = list(document.get("models") or [])
    message = change(document)
    if message:
        messages.error(request, message)
    else:
        save_change(request, project, document)


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

    change_models(request, project, add)
    return redirect("projects:models", pk=pk)


def new_model(model_type: str, model_id: str) -> dict:
    model = {"model": model_id, "label": {"en_US": model_id}, "model_type": model_type}
    properties = {
        "llm": {"mode": "chat", "context_size": 8192},
        "text-embedding": {"context_size": 8192, "max_chunks": 32},
    }.get(model_type, {})
    model["model_properties"] = properties
    if model_type == "llm":
        model["parameter_rules"] = []
    return model


@login_required
@require_POST
def move_model(request, pk, index, direction):
    project = project_or_404(request, pk, Role.EDITOR)

    def move(document):
        models = document["models"]
        same_type = [
            i
            for i, m in enumerate(models)
            if m.get("model_type") == models[index].get("model_type")
        ]
        place = same_type.index(index) + (1 if direction == "down" else -1)
        if not 0 <= place < len(same_type):
            return None
        other = same_type[place]
        models[index], models[other] = models[other], models[index]
        keep_positions_in_model_order(document, models[index].get("model_type"))
        return None

    if 0 <= index < len(project.spec.get("models") or []):
        change_models(request, project, move)
    return redirect("projects:models", pk=pk)


def keep_positions_in_model_order(document, model_type) -> None:
    """An imported position list for this type follows the new order of its models."""
    positions = document.get("positions") or {}
    directory = layout.type_dir(str(model_type))
    if directory in positions:
        ids = [m.get("model") for m in document["models"] if m.get("model_type") == model_type]
        listed = [i for i in ids if i in positions[directory]]
        document["positions"] = {
            **positions,
            directory: listed + [i for i in positions[directory] if i not in listed],
        }


@login_required
@require_POST
def delete_model(request, pk, index):
    project = project_or_404(request, pk, Role.EDITOR)
    if 0 <= index < len(project.spec.get("models") or []):
        change_models(request, project, lambda document: document["models"].pop(index) and None)
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
    save_change(request, project, document)
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
    else:
        files.pop(path, None)  # back to the generated one
    document["files"] = files
    save_change(request, project, document)
    return redirect("projects:plugin", pk=pk)


@login_required
@require_GET
def icon(request, pk):
    project = project_or_404(request, pk)
    name = (project.spec.get("manifest") or {}).get("icon", "")
    carried = (project.spec.get("files") or {}).get(f"_assets/{name}")
    if not carried:
        raise Http404
    data = carried["text"].encode() if "text" in carried else base64.b64decode(carried["base64"])
    content_type = "image/svg+xml" if name.endswith(".svg") else "image/png"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def rendered(project):
    report = validate(resolve_library_refs(project.spec, project.team))
    return report, (render_files(report.spec) if report.spec is not None else {})


@login_required
@require_GET
def review(request, pk):
    project = project_or_404(request, pk)
    report, files = rendered(project)
    context = {
        "project": project,
        "section": "review",
        "report": report,
        "files": [(path, len(data)) for path, data in files.items()],
        "checklist": readiness(project, report, files),
        "can_edit": can_edit(request, project),
    }
    return render(request, "projects/sections/review.html", context)


@login_required
@require_GET
def review_file(request, pk):
    project = project_or_404(request, pk)
    _, files = rendered(project)
    path = request.GET.get("path", "")
    if path not in files:
        raise Http404
    data = files[path]
    try:
        text = data.decode()
    except UnicodeDecodeError:
        text = None
    highlighted = highlight_yaml(text) if text is not None and path.endswith(".yaml") else None
    context = {"path": path, "text": text, "highlighted": highlighted, "size": len(data)}
    return render(request, "projects/sections/_file.html", context)


@login_required
@require_GET
def download_tree(request, pk):
    project = project_or_404(request, pk)
    report, files = rendered(project)
    if not report.ok:
        messages.error(request, "Fix the errors first: a plugin with errors cannot be built.")
        return redirect("projects:review", pk=pk)
    name = (project.spec.get("manifest") or {}).get("name", "plugin")
    response = HttpResponse(zip_tree(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-source.zip"'
    return response
