"""``{% build_panel project as panel %}``: what the builds panel shows
(``builds/project_builds.html#panel``), so that any page can include the panel with nothing but
``project`` (and the request) in its context; a page that has the user's ``access`` to the
project in its context saves the panel a query."""

from django import template

from designer.builds.panel import panel_for

register = template.Library()


@register.simple_tag(takes_context=True)
def build_panel(context, project) -> dict:
    request = context.get("request")
    return panel_for(project, getattr(request, "user", None), context.get("access"))


@register.filter
def changes_summary(changes: dict | None) -> str:
    """A build's recorded changes in a few words, for its row of the history."""
    if not changes:
        return ""
    files = changes.get("files") or {}
    parts = [
        f"{len(files.get(kind) or [])} {kind}"
        for kind in ("added", "removed", "changed")
        if files.get(kind)
    ]
    text = f"files: {', '.join(parts)}" if parts else "no file changed"
    bump = changes.get("suggested_bump")
    return f"{text} ({bump})" if bump else text
