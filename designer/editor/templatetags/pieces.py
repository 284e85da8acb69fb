"""{{ finding.path|offered_piece }}: the generated piece a finding offers to add, if any."""

from django import template

from designer.core.render.pieces import offered_piece as piece_of_finding

register = template.Library()


@register.filter
def offered_piece(path: str) -> str | None:
    return piece_of_finding(path)
