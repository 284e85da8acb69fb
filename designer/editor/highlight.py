"""A light YAML highlighter for the preview: escaped text with spans for keys, strings,
comments and list dashes (no JavaScript library needed)."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_LINE = re.compile(r"^(\s*)(- )?([^\s#'\"][^:#]*?:)(?=\s|$)(.*)$")
_STRING = re.compile(r"(&#x27;.*?&#x27;|&quot;.*?&quot;)")


def highlight_yaml(text: str) -> SafeString:
    lines = []
    for raw in text.splitlines():
        line = escape(raw)
        if line.lstrip().startswith("#"):
            lines.append(f'<span class="y-c">{line}</span>')
            continue
        match = _LINE.match(line)
        if match:
            indent, dash, key, rest = match.groups()
            dash = f'<span class="y-d">{dash}</span>' if dash else ""
            line = f'{indent}{dash}<span class="y-k">{key}</span>{_strings(rest)}'
        else:
            line = _strings(line)
        lines.append(line)
    return mark_safe("\n".join(lines))  # noqa: S308 (every piece escaped above)


def _strings(text: str) -> str:
    return _STRING.sub(r'<span class="y-s">\1</span>', text)
