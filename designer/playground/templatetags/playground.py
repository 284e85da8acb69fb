from django import template

from designer.tryout import service as tryout

register = template.Library()


@register.inclusion_tag("playground/_chat.html", takes_context=True)
def playground_box(context):
    """The chat box for the model page's model: shown for an llm to those who may edit the
    project (a model that follows the library is edited there, but chats here all the same)."""
    model = context.get("model") or {}
    may_edit = context.get("can_edit") or context.get("can_detach")
    shown = model.get("model_type") == "llm" and bool(may_edit)
    return {
        "shown": shown,
        "project": context.get("project"),
        "index": context.get("index"),
        "model": model,
        "credential_fields": tryout.credential_fields(context.get("doc") or {}) if shown else [],
        "csrf_token": context.get("csrf_token"),
    }
