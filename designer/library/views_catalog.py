"""The library's catalog pages: import from the team's catalog, load a newer catalog, and the
definitions whose price, context size or features drifted from their catalog entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer.accounts.models import Role
from designer.core.catalog import catalog_models, ranked_by_search
from designer.core.errors import PluginSourceError
from designer.editor.context import posted_version
from designer.library import catalogs, drift, service
from designer.library.filters import MODEL_TYPES
from designer.library.models import LibraryModel
from designer.library.views import (
    import_and_report,
    item_or_404,
    model_preview,
    team_membership,
)


@login_required
def catalog(request):
    """Step 1 filters and previews the catalog; step 2 (POST) imports the ticked entries."""
    membership = team_membership(request)
    if request.method == "POST":
        if not membership.can_edit:
            raise PermissionDenied
        keys = set(request.POST.getlist("key"))
        data = catalogs.catalog_data(membership.team)
        chosen = [m for m in catalog_models(data) if m.key in keys]
        return import_and_report(request, service.import_catalog_models, membership.team, chosen)
    providers = {p for p in request.GET.getlist("provider") if p}
    types = {t for t in request.GET.getlist("type") if t}
    found = catalog_models(
        catalogs.catalog_data(membership.team),
        providers=providers or None,
        model_types=types or None,
    )
    search = request.GET.get("q", "").strip()
    if search:
        found = ranked_by_search(found, search)
    existing = set(
        LibraryModel.objects.filter(team=membership.team).values_list("model_type", "model_id")
    )
    context = {
        "rows": [(m, service.identity(m.model) in existing) for m in found[:200]],
        "total": len(found),
        "query": request.GET,
        "model_types": MODEL_TYPES,
        "providers": catalogs.catalog_providers(membership.team),
        "catalog_name": catalogs.catalog_name(membership.team),
        "can_edit": membership.can_edit,
    }
    return render(request, "library/catalog.html", context)


@login_required
def catalog_entry(request):
    """One catalog entry as the model file it would give, with its warnings."""
    membership = team_membership(request)
    entry = catalogs.catalog_entry(membership.team, request.GET.get("key", ""))
    if entry is None:
        raise Http404
    context = {"entry": entry, **model_preview(entry.model)}
    template = "library/catalog_entry.html#entry" if request.htmx else "library/catalog_entry.html"
    return render(request, template, context)


@login_required
@require_POST
def load_catalog(request):
    """Load a newer catalog (LiteLLM's JSON, or gzipped) for the team."""
    membership = team_membership(request, Role.EDITOR)
    upload = request.FILES.get("catalog")
    if upload is None:
        messages.error(request, "Choose a catalog file (LiteLLM's model prices JSON).")
        return redirect("library:catalog")
    try:
        if upload.size > catalogs.MAX_CATALOG_BYTES:
            raise PluginSourceError(
                f"the catalog is larger than {catalogs.MAX_CATALOG_BYTES // 2**20} MB"
            )
        loaded = catalogs.load_catalog(membership.team, upload.name, upload.read(), request.user)
    except PluginSourceError as exc:
        messages.error(request, f"{upload.name} not loaded: {exc}.")
        return redirect("library:catalog")
    messages.success(request, f"Catalog {loaded.name} loaded: {loaded.entries} entries.")
    return redirect("library:catalog")


@login_required
def drift_list(request):
    membership = team_membership(request)
    context = {
        "drifted": drift.drifted_definitions(membership.team),
        "catalog_name": catalogs.catalog_name(membership.team),
        "can_edit": membership.can_edit,
    }
    return render(request, "library/drift.html", context)


@login_required
@require_POST
def drift_update(request, pk):
    item = item_or_404(request, pk, Role.EDITOR)
    try:
        saved = drift.update_from_catalog(item, posted_version(request), request.user)
    except service.Conflict:
        messages.error(request, f"{item.model_id}: someone saved it since; look again.")
    else:
        if saved is None:
            messages.info(request, f"{item.model_id} already agrees with the catalog.")
        else:
            messages.success(request, f"{item.model_id} updated as revision {saved.version}.")
    return redirect("library:drift")
