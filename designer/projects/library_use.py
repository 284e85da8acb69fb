"""The library as the projects use it: which definitions a project references, which of them
changed since its last successful build, and the source that tells the library (which imports
nothing from projects) about the team's plugins."""

from django.urls import reverse

from designer.library import service, uses
from designer.projects.models import Project


def changed_since_last_build(project) -> set[str]:
    """Library ids of the project's referenced models whose definition differs from what the
    last successful build used (all of them when it was never built)."""
    current = service.resolve_library_refs(project.spec, project.team)
    # The build's own query, through the reverse relation: projects sit below builds.
    last = project.builds.last_succeeded()
    built = {
        str(m.get("library")): m
        for m in service.models_of(last.snapshot if last else {})
        if isinstance(m, dict)
    }
    changed = set()
    for model in service.models_of(current):
        ref = (
            str(model.get("library")) if isinstance(model, dict) and model.get("library") else None
        )
        if ref and built.get(ref) != model:
            changed.add(ref)
    return changed


def as_plugin(project: Project) -> uses.Plugin:
    return uses.Plugin(
        key=str(project.pk),
        name=project.name,
        url=reverse("projects:models", args=[project.pk]),
        uses=frozenset(service.referenced_ids(project.spec)),
        record=project,
    )


class ProjectPlugins:
    """The team's projects, as :mod:`designer.library.uses` asks for them."""

    def plugins(self, team) -> list[uses.Plugin]:
        return [as_plugin(p) for p in Project.objects.filter(team=team).order_by("name")]

    def changed_since_last_build(self, plugin: uses.Plugin) -> set[int]:
        return {int(ref) for ref in changed_since_last_build(plugin.record) if ref.isdigit()}

    def definitions(self, team, key: str) -> tuple[str, list[dict]] | None:
        project = Project.objects.filter(team=team, pk=key).first() if key.isdigit() else None
        if project is None:
            return None
        models = service.models_of(service.resolve_library_refs(project.spec, project.team))
        definitions = [
            {k: v for k, v in m.items() if k not in service.KEPT_ON_REFERENCE}
            for m in models
            if isinstance(m, dict)
        ]
        return project.name, definitions

    def add_url(self, definition_pk: int) -> str:
        return reverse("projects:use_library", args=[definition_pk])
