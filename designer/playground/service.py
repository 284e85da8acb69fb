"""Discovery and playground runs: started from a page with the credentials a person typed (sealed
for the worker, never stored), carried out by the worker, read back by the page."""

from dataclasses import asdict
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from celery import current_app
from django.db import transaction
from django.utils import timezone

from designer.core.credential_roles import api_key_from, endpoint_from
from designer.core.discovery import CatalogIndex, Listed, Match, match_models
from designer.core.spec import DesignSpec
from designer.core.tryout.plan import secret_values
from designer.core.validation import validate
from designer.library import catalogs
from designer.library import service as library
from designer.library.models import LibraryModel
from designer.playground.models import Run
from designer.projects.document import effective_document
from designer.tryout import service as tryout

DISCOVER = "designer.playground.tasks.discover"
CHAT = "designer.playground.tasks.chat"
MAX_MESSAGE = 20_000
MAX_TURNS = 20


class NotPossible(Exception):
    """Why a run cannot start, for the person, next to the form."""


def masked(text: str, secrets: list[str]) -> str:
    for value in secrets:
        text = text.replace(value, "***")
    return text


def design_spec(document: dict) -> DesignSpec:
    spec = validate(document).spec
    if spec is None:
        raise NotPossible("The plugin's design has errors in its structure: fix them on Review.")
    return spec


def without_user_part(url: str | None) -> str:
    parts = urlsplit(url or "")
    return urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", "")) if url else ""


KEPT_FOR = timedelta(days=1)


def forget_old_runs(project) -> None:
    """Runs are for the moment; a project keeps a day of them."""
    Run.objects.filter(project=project, created_at__lt=timezone.now() - KEPT_FOR).delete()


def create_run(project, **fields) -> Run:
    """A new run, taken from the team's one budget of runs that call out (test connection's
    too) in the transaction that creates it; NotPossible when the budget is spent."""
    with transaction.atomic():
        try:
            tryout.take_outbound_run(project.team_id)
        except tryout.TooManyRuns as exc:
            raise NotPossible(str(exc)) from None
        forget_old_runs(project)
        return Run.objects.create(project=project, **fields)


def send(task: str, run: Run, credentials: dict[str, str]) -> None:
    """The credentials go sealed as test connection seals them (Fernet, ten minutes)."""
    token = tryout.seal(credentials)
    # By name from the registry (the tasks module imports this one), once the run is committed.
    transaction.on_commit(lambda: current_app.tasks[task].apply_async(args=[run.pk, token]))


# Discovery


def start_discovery(project, user, credentials: dict[str, str]) -> Run:
    document = effective_document(project)
    spec = design_spec(document)
    if spec.code.api_style != "openai-compatible":
        raise NotPossible("Discovery lists the models of an OpenAI-compatible API.")
    endpoint = endpoint_from(spec, credentials)
    if not endpoint:
        raise NotPossible("Give the endpoint URL (or set the provider's base URL).")
    run = create_run(
        project,
        requested_by=user,
        kind=Run.Kind.DISCOVERY,
        request={"endpoint": without_user_part(endpoint)},
    )
    send(DISCOVER, run, credentials)
    return run


def discovery_target(project, credentials: dict[str, str]) -> tuple[str, str | None, list[str]]:
    """(endpoint, API key, secret values) the worker calls with."""
    spec = design_spec(effective_document(project))
    endpoint = endpoint_from(spec, credentials) or ""
    return endpoint, api_key_from(spec, credentials), secret_values(spec, credentials)


def listed_of(run: Run) -> list[Listed]:
    return [Listed(**row) for row in run.events if isinstance(row, dict)]


def listing_rows(listed: list[Listed]) -> list[dict]:
    return [asdict(item) for item in listed]


# The index of each catalog in use (the shipped one, teams' loaded ones), built once each.
_catalog_indexes: dict[int, tuple[dict, CatalogIndex]] = {}


def catalog_index(team) -> CatalogIndex:
    from designer.core.catalog import catalog_models

    data = catalogs.catalog_data(team)
    cached = _catalog_indexes.get(id(data))
    if cached is None or cached[0] is not data:
        if len(_catalog_indexes) >= 4:
            _catalog_indexes.clear()
        cached = _catalog_indexes[id(data)] = (data, CatalogIndex(catalog_models(data)))
    return cached[1]


def matches_for(run: Run) -> list[Match]:
    project = run.project
    library_items = LibraryModel.objects.filter(team=project.team)
    present = {library.identity(m) for m in library.models_of(project.spec) if isinstance(m, dict)}
    return match_models(
        listed_of(run),
        [(item.pk, item.definition) for item in library_items],
        catalog_index(project.team),
        endpoint=run.request.get("endpoint"),
        present=present,
    )


def chosen_matches(run: Run, picked: list[str], entries: dict[str, str]) -> list[Match]:
    """The matches ticked (by id), each with the catalog entry chosen for it, if another."""
    from designer.core.discovery import with_catalog_entry

    chosen = []
    for match in matches_for(run):
        if match.id not in picked or match.in_plugin:
            continue
        key = entries.get(match.id)
        if match.source == "catalog" and key and key in match.alternatives:
            entry = next(
                e for e in catalog_index(run.project.team).candidates(match.id) if e.key == key
            )
            match = with_catalog_entry(match, entry)
        chosen.append(match)
    return chosen


def add_to_document(document: dict, matches: list[Match]) -> list[str]:
    """Append the matches' models (skipping ids the plugin has); the ids added."""
    present = {library.identity(m) for m in document["models"] if isinstance(m, dict)}
    types = document["provider"].setdefault("supported_model_types", [])
    added = []
    for match in matches:
        if (match.model_type, match.id) in present:
            continue
        document["models"].append(match.model)
        if match.model_type not in types:
            types.append(match.model_type)
        added.append(match.id)
    return added


# Playground


def conversation(run: Run | None) -> list[Run]:
    """The chat runs up to ``run``, oldest first (at most MAX_TURNS)."""
    turns = []
    while run is not None and len(turns) < MAX_TURNS:
        turns.append(run)
        run = run.previous
    return turns[::-1]


def start_chat(project, user, model: dict, credentials, message: str, offer_tool, previous):
    from designer.core.playground import answer_from

    if model.get("model_type") != "llm":
        raise NotPossible("The playground chats with llm models.")
    if not message.strip():
        raise NotPossible("Write a message.")
    history = []
    if previous is not None:  # its messages hold the whole conversation before it
        answer = {"role": "assistant", "content": answer_from(previous.events).text}
        history = [*previous.request["messages"], answer]
    messages = [*history, {"role": "user", "content": message[:MAX_MESSAGE]}]
    run = create_run(
        project,
        requested_by=user,
        kind=Run.Kind.CHAT,
        model=str(model.get("model", "")),
        previous=previous,
        request={"messages": messages, "offer_tool": bool(offer_tool)},
    )
    send(CHAT, run, credentials)
    return run
