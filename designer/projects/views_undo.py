"""Undo of the last one-click change to a project (see designer/projects/undo.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from designer.accounts.models import Role
from designer.projects.undo import NotUndone, undo
from designer.projects.views_design import project_or_404


@login_required
@require_POST
def undo_change(request, pk):
    project = project_or_404(request, pk, Role.EDITOR)
    change = request.POST.get("change", "")
    try:
        if not change.isdigit() or len(change) > 18:
            raise NotUndone("no change was named")
        messages.success(request, f"Undone: {undo(project, int(change))}")
    except NotUndone as exc:
        messages.error(request, f"Nothing undone: {exc}.")
    return redirect("projects:models", pk=pk)
