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
