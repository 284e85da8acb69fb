"""A light YAML highlighter for the preview: escaped text with spans for keys, strings,
comments and list dashes (no JavaScript library needed)."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from designer.core.lru import Lru

_LINE = re.compile(r"^(\s*)(- )?([^\s#'\"][^:#]*?:)(?=\s|$)(.*)$")
_STRING = re.compile(r"(&#x27;.*?&#x27;|&quot;.*?&quot;)")
# Each line is highlighted on its own: a keystroke's preview differs from the last one by a
# line or two, so the others come from here.
_HIGHLIGHTED_LINES = Lru(50_000)


def highlight_yaml(text: str) -> SafeString:
    raw_lines = text.splitlines()
    lines = _HIGHLIGHTED_LINES.get_many(raw_lines)
    new = {}
    for i, (raw, line) in enumerate(zip(raw_lines, lines, strict=True)):
        if line is None:
            lines[i] = new[raw] = highlight_line(raw)
    if new:
        _HIGHLIGHTED_LINES.put_many(new)
    return mark_safe("\n".join(lines))  # noqa: S308 (every piece escaped in highlight_line)


def highlight_line(raw: str) -> str:
    line = escape(raw)
    if line.lstrip().startswith("#"):
        return f'<span class="y-c">{line}</span>'
    match = _LINE.match(line)
    if not match:
        return _strings(line)
    indent, dash, key, rest = match.groups()
    dash = f'<span class="y-d">{dash}</span>' if dash else ""
    return f'{indent}{dash}<span class="y-k">{key}</span>{_strings(rest)}'


def _strings(text: str) -> str:
    return _STRING.sub(r'<span class="y-s">\1</span>', text)
