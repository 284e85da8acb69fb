"""{% field %}: one input named by its spec path, with its label and a place for its error."""

import json
import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from designer.core.fieldpath import append_path, join_path, parse_path
from designer.editor.formdata import get_at

register = template.Library()


def field_id(path: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


@register.simple_tag
def row_path(list_path: str, index) -> str:
    """A row's path; the row template's placeholder index (``__i__``) is kept as text."""
    return append_path(list_path, index) if isinstance(index, int) else f"{list_path}[{index}]"


@register.simple_tag
def value_at(document, path: str):
    return get_at(document, parse_path(path))


@register.filter
def as_json(value) -> str:
    return json.dumps(value)


@register.simple_tag
def field(document, base, leaf, label, kind="text", choices="", help="", placeholder="", **attrs):
    """kind: text, textarea, int, number, auto, bool, select, checkboxes, picks (checkboxes
    of an optional list), color, url, lines."""
    path = join_path(base, leaf)
    value = get_at(document, parse_path(path)) if document is not None else None
    fid = field_id(path)
    suffix = {
        "int": ":int",
        "number": ":number",
        "auto": ":auto",
        "bool": ":bool",
        "checkboxes": ":list",
        "picks": ":picks",
        "tristate": ":tristate",
        "lines": ":lines",
    }.get(kind, "")
    name = path + suffix
    # Screen readers read the help and the inline error with the input (designer.js renumbers
    # these ids with the row).
    described = {"aria-describedby": f"{fid}-help {fid}-error" if help else f"{fid}-error"}
    control = control_html(kind, name, fid, value, choices, placeholder, described | attrs)
    help_html = help and format_html('<small class="help" id="{}-help">{}</small>', fid, help)
    return format_html(
        '<div class="field field--{}" data-path="{}"><label for="{}">{}</label>{}{}'
        '<span class="field-error" id="{}-error" data-error-for="{}" aria-live="polite"></span>'
        "</div>",
        kind,
        path,
        fid,
        label,
        control,
        help_html,
        fid,
        path,
    )


def options_of(choices):
    if isinstance(choices, str):
        return [(c, c) for c in choices.split(",") if c] if choices else []
    return [(c, c) if isinstance(c, str) else tuple(c) for c in choices]


def control_html(kind, name, fid, value, choices, placeholder, attrs):
    extra = format_html_join("", ' {}="{}"', attrs.items())
    if kind == "bool":
        checked = mark_safe(" checked") if value is True else ""
        return format_html(
            '<input type="hidden" name="{}" value="false">'
            '<input type="checkbox" id="{}" name="{}" value="true"{}{}>',
            name,
            fid,
            name,
            checked,
            extra,
        )
    if kind in ("checkboxes", "picks"):
        chosen = value if isinstance(value, list) else []
        boxes = format_html_join(
            "",
            '<label class="check"><input type="checkbox" name="{}" value="{}"{}> {}</label>',
            (
                (name, v, mark_safe(" checked") if v in chosen else "", text)
                for v, text in options_of(choices)
            ),
        )
        return format_html(
            '<input type="hidden" name="{}" value=""><span class="checks" id="{}" role="group"{}>{}'
            "</span>",
            name,
            fid,
            extra,
            boxes,
        )
    if kind == "tristate":
        kind, choices = "select", [("true", "yes"), ("false", "no")]
        value = None if value is None else json.dumps(value)
    if kind == "select":
        current = "" if value is None else str(value)
        opts = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (v, mark_safe(" selected") if v == current else "", text)
                for v, text in [("", "—"), *options_of(choices)]
            ),
        )
        return format_html('<select id="{}" name="{}"{}>{}</select>', fid, name, extra, opts)
    if kind in ("textarea", "lines"):
        text = "\n".join(value) if kind == "lines" and isinstance(value, list) else value
        return format_html(
            '<textarea id="{}" name="{}" placeholder="{}" rows="3"{}>{}</textarea>',
            fid,
            name,
            placeholder,
            extra,
            "" if text is None else text,
        )
    input_type = {"color": "text", "url": "url", "int": "text", "number": "text"}.get(kind, "text")
    mode = (
        format_html(' inputmode="{}"', "numeric" if kind == "int" else "decimal")
        if kind in ("int", "number", "auto")
        else ""
    )
    shown = "" if value is None else (json.dumps(value) if isinstance(value, bool) else value)
    return format_html(
        '<input type="{}" id="{}" name="{}" value="{}" placeholder="{}"{}{}>',
        input_type,
        fid,
        name,
        shown,
        placeholder,
        mode,
        extra,
    )
