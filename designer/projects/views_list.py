"""The active team's plugin projects: list, create, rename, duplicate, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.accounts.teams import active_membership
from designer.core.gallery import START_KEYS, STARTS, start_document
from designer.projects.forms import ProjectForm
from designer.projects.models import Project
from designer.projects.naming import identifier


@login_required
def project_list(request):
    membership = active_membership(request)
    if membership is None:
        return redirect("accounts:new_team")
    projects = Project.objects.filter(team=membership.team)
    context = {
        "projects": projects,
        "form": ProjectForm(),
        "can_edit": membership.can_edit,
    }
    return render(request, "projects/list.html", context)


@login_required
def create(request):
    membership = active_membership(request)
    if membership is None:
        return redirect("accounts:new_team")
    if not membership.can_edit:
        raise PermissionDenied
    form = ProjectForm(request.POST or None)
    start = request.POST.get("start") or request.GET.get("start") or START_KEYS[0]
    if start not in START_KEYS:
        start = START_KEYS[0]
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        spec = start_document(
            start,
            name=identifier(name, "my_plugin", max_length=128),
            author=identifier(request.user.username, "author"),
            label=name,
        )
        project = Project.objects.create(
            team=membership.team, name=name, spec=spec, created_by=request.user
        )
        # Its findings say what is left to fill in.
        return redirect("projects:review", pk=project.pk)
    context = {"form": form, "starts": STARTS, "chosen": start}
    return render(request, "projects/create.html", context)


@login_required
def rename(request, pk):
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=pk).obj
    form = ProjectForm(request.POST or None, initial={"name": project.name})
    if request.method == "POST" and form.is_valid():
        project.name = form.cleaned_data["name"]
        project.save(update_fields=["name", "updated_at"])
        messages.success(request, "Project renamed.")
        return redirect("projects:list")
    return render(request, "projects/rename.html", {"form": form, "project": project})


@login_required
@require_POST
def duplicate(request, pk):
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=pk).obj
    copy = Project.objects.create(
        team=project.team,
        name=f"{project.name} (copy)"[:100],
        spec=project.spec,
        created_by=request.user,
    )
    messages.success(request, f"Duplicated as {copy.name}.")
    return redirect("projects:list")


@login_required
def delete(request, pk):
    project = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=pk).obj
    if request.method == "POST":
        project.delete()
        messages.success(request, f"{project.name} was deleted.")
        return redirect("projects:list")
    return render(request, "projects/delete.html", {"project": project})
