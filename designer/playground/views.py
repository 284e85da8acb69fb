"""Pages: "Discover models" from the Models page, and the chat box on an llm's page.

Credential inputs are never filled from the server: a typed key stays in the person's browser
form and goes to the worker sealed, once per run.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from designer.accounts.models import Role
from designer.core.playground import answer_from
from designer.playground import service
from designer.playground.models import Run
from designer.projects.document import effective_document
from designer.projects.views_design import change_models, project_or_404
from designer.tryout import service as tryout


def run_or_404(project, run_pk: int, kind: str) -> Run:
    run = Run.objects.filter(pk=run_pk, project=project, kind=kind).first()
    if run is None:
        raise Http404
    return run


@login_required
def discover(request, pk):
    project = project_or_404(request, pk, Role.EDITOR)
    fields = tryout.credential_fields(effective_document(project))
    error = None
    if request.method == "POST":
        credentials = tryout.posted_credentials(request.POST, fields)
        try:
            run = service.start_discovery(project, request.user, credentials)
        except service.NotPossible as exc:
            error = str(exc)
        else:
            return redirect("playground:discovery", pk=pk, run_pk=run.pk)
    context = {"project": project, "section": "models", "fields": fields, "error": error}
    return render(request, "playground/discover.html", context, status=400 if error else 200)


@login_required
@require_GET
def discovery(request, pk, run_pk):
    project = project_or_404(request, pk, Role.EDITOR)
    run = run_or_404(project, run_pk, Run.Kind.DISCOVERY)
    matches = service.matches_for(run) if run.status == Run.Status.DONE else []
    context = {"project": project, "section": "models", "run": run, "matches": matches}
    template = "playground/discovery.html"
    return render(request, f"{template}#result" if request.htmx else template, context)


@login_required
@require_POST
def add_discovered(request, pk, run_pk):
    project = project_or_404(request, pk, Role.EDITOR)
    run = run_or_404(project, run_pk, Run.Kind.DISCOVERY)
    picked = request.POST.getlist("pick")
    entries = {
        key.removeprefix("entry:"): v for key, v in request.POST.items() if key.startswith("entry:")
    }
    chosen = service.chosen_matches(run, picked, entries)
    if not chosen:
        messages.error(request, "Tick the models to add.")
        return redirect("playground:discovery", pk=pk, run_pk=run.pk)
    added: list[str] = []

    def add(document):
        added.extend(service.add_to_document(document, chosen))
        return None if added else "The plugin has these models already."

    change_models(request, project, add, lambda: f"Added {len(added)}: {', '.join(added)}.")
    return redirect("projects:models", pk=pk)


@login_required
@require_POST
def chat(request, pk, index):
    project = project_or_404(request, pk, Role.EDITOR)
    document = effective_document(project)
    models = document.get("models") or []
    if not 0 <= index < len(models) or not isinstance(models[index], dict):
        raise Http404
    credentials = tryout.posted_credentials(request.POST, tryout.credential_fields(document))
    previous_pk = request.POST.get("previous", "")
    previous = (
        Run.objects.filter(pk=previous_pk, project=project, kind=Run.Kind.CHAT).first()
        if previous_pk.isdigit()
        else None
    )
    context = {"project": project, "index": index}
    try:
        run = service.start_chat(
            project,
            request.user,
            models[index],
            credentials,
            request.POST.get("message", ""),
            request.POST.get("offer_tool"),
            previous,
        )
    except service.NotPossible as exc:
        context.update(error=str(exc), run=previous, turns=shown_turns(previous))
        return render_transcript(request, context)
    context.update(run=run, turns=shown_turns(run))
    # The page's script empties the message box on this event only: a refusal keeps the text.
    return trigger_client_event(render_transcript(request, context), "playground:sent")


@login_required
@require_GET
def chat_run(request, pk, run_pk):
    project = project_or_404(request, pk, Role.EDITOR)
    run = run_or_404(project, run_pk, Run.Kind.CHAT)
    context = {"project": project, "run": run, "turns": shown_turns(run)}
    return render_transcript(request, context)


def shown_turns(run: Run | None) -> list[dict]:
    return [
        {
            "run": turn,
            "message": turn.request["messages"][-1]["content"],
            "answer": answer_from(turn.events),
        }
        for turn in service.conversation(run)
    ]


def render_transcript(request, context):
    template = "playground/chat_page.html"
    return render(
        request, "playground/_chat.html#transcript" if request.htmx else template, context
    )
