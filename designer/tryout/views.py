"""The Test connection form (on the Provider page and each model's), the run it starts in a
worker, and the run's checks as the page polls for them. Typed values are never rendered back:
the form is not re-rendered after a submit, only the run below it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from designer.accounts.access import team_object_or_404
from designer.accounts.models import Role
from designer.builds.service import snapshot_for
from designer.core.tryout import TryoutInputError
from designer.core.validation import validate
from designer.projects.models import Project
from designer.tryout import service
from designer.tryout.models import TryoutRun

PAGE = "tryout/panel.html"  # the page, its panel (#panel) and a run (#run)


def panel_context(project, model: str, access) -> dict:
    spec = validate(snapshot_for(project)).spec
    return {
        "project": project,
        "model": model,
        "fields": service.fields_of(spec),
        "has_spec": spec is not None,
        "can_run": access.membership.allows(Role.EDITOR),
        "id_prefix": "tryout-",
    }


@login_required
@require_GET
def panel(request, project_id):
    access = team_object_or_404(request.user, Project.objects, pk=project_id)
    context = panel_context(access.obj, request.GET.get("model", ""), access)
    return render(request, PAGE + "#panel" if request.htmx else PAGE, context)


@login_required
@require_POST
def start(request, project_id):
    access = team_object_or_404(request.user, Project.objects, Role.EDITOR, pk=project_id)
    model = request.POST.get("model", "")
    fields = service.credential_fields(snapshot_for(access.obj))
    credentials = service.posted_credentials(request.POST, fields)
    try:
        run = service.start_run(access.obj, request.user, credentials, [model] if model else [])
    except (TryoutInputError, service.TooManyRuns) as exc:
        status = 429 if isinstance(exc, service.TooManyRuns) else 400
        context = {"refusal": str(exc), "project": access.obj}
        template = PAGE + "#run" if request.htmx else PAGE
        if not request.htmx:
            context |= panel_context(access.obj, model, access)
        return render(request, template, context, status=status)
    if request.htmx:
        return render(request, PAGE + "#run", {"run": run})
    return redirect("tryout:run", run_id=run.pk)


@login_required
@require_GET
@never_cache
def run_status(request, run_id):
    access = team_object_or_404(request.user, TryoutRun.objects, team="project__team", pk=run_id)
    if request.htmx:
        return render(request, PAGE + "#run", {"run": access.obj})
    project = access.obj.project
    context = panel_context(project, "", access) | {"run": access.obj}
    return render(request, PAGE, context)
