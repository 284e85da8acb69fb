"""A project's side of the library: add a definition to a project (by reference, so it follows
the library, or as a copy), pick definitions for a project, and turn a reference into the
project's own copy. The paths stay under /library/, where people find them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.library import service, uses
from designer.library.filters import MODEL_TYPES, matches, shown_filters, used_keys
from designer.library.models import LibraryModel
from designer.projects.models import Project
from designer.projects.views_design import change_models


@login_required
@require_POST
def use_in_project(request, pk):
    """Add the definition to one of the team's projects, by reference (it follows the library)
    or as a copy (it diverges)."""
    item = team_object_or_404(request.user, LibraryModel.objects, pk=pk).obj
    project_pk = request.POST.get("project", "")
    if not project_pk.isdigit():
        raise Http404
    project = team_object_or_404(
        request.user, Project.objects, Role.EDITOR, pk=project_pk, team_id=item.team_id
    ).obj
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

    change_models(request, project, add, f"{item.model_id} added to {project.name}.")
    if request.POST.get("next") == "pick":
        return redirect("projects:pick_library", project_pk=project.pk)
    return redirect("projects:models", pk=project.pk)


@login_required
def pick_for_project(request, project_pk):
    """The team's definitions to add to a project, by reference or as a copy."""
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_pk).obj
    present = {service.identity(m) for m in service.models_of(project.spec) if isinstance(m, dict)}
    items = LibraryModel.objects.filter(team=project.team)
    users = used_keys(uses.users_by_definition(project.team))
    query = shown_filters(request)
    shown = [item for item in items if matches(item, query, users)]
    context = {
        "project": project,
        "rows": [(item, service.identity(item.definition) in present) for item in shown],
        "query": request.GET,
        "model_types": MODEL_TYPES,
    }
    return render(request, "projects/library_pick.html", context)


@login_required
@require_POST
def detach(request, project_pk, index):
    """A project's referenced model becomes its own copy (the library's current definition),
    which the project then edits freely."""
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_pk).obj
    resolved = service.models_of(service.resolve_library_refs(project.spec, project.team))
    if not 0 <= index < len(resolved) or not isinstance(resolved[index], dict):
        raise Http404

    def make_copy(document):
        if not document["models"][index].get("library"):
            return "This model is already the project's own."
        document["models"][index] = {k: v for k, v in resolved[index].items() if k != "library"}
        return None

    name = resolved[index].get("model") or "The model"
    change_models(request, project, make_copy, f"{name} is now the project's own copy.")
    return redirect("projects:model", pk=project.pk, index=index)
