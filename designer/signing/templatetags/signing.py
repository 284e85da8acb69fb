from django import template

from designer.signing.views import signing_context

register = template.Library()


@register.inclusion_tag("signing/_daemon_settings.html")
def team_signature(team):
    """The team's public key and the daemon settings that trust it (nothing without a key)."""
    return signing_context(team)
