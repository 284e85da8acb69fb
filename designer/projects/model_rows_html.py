"""The Models page's table rows as HTML, written here rather than by the template engine: a
250-model plugin has 250 rows of a dozen values each, which Django's templates take ~50 ms to
render and plain string formatting under 2 ms (the page's target is 100 ms in all)."""

from html import escape

from django.utils.safestring import SafeString, mark_safe


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def row_html(row: dict, model_url: str, can_edit: bool, changed_refs) -> str:
    model_id = escape(row["model_id"])
    select = (
        f'<td><input type="checkbox" name="selected" value="{row["index"]}" form="bulk-form" '
        f'aria-label="Select {model_id}"></td>'
        if can_edit
        else ""
    )
    name = f'<a href="{escape(model_url)}{row["index"]}/">{model_id}</a>'
    if row["label"]:
        name += f" <small>{escape(row['label'])}</small>"
    if row["library"]:
        name += ' <span class="badge" title="Follows the team library">library</span>'
        if row["library"] in changed_refs:
            name += ' <span class="badge badge--changed">changed since last build</span>'
    if row["deprecated"]:
        name += ' <span class="badge">deprecated</span>'
    findings = []
    if row["errors"]:
        findings.append(f'<span class="error">{plural(row["errors"], "error")}</span>')
    if row["warnings"]:
        findings.append(f'<span class="warning-text">{plural(row["warnings"], "warning")}</span>')
    cells = [
        escape(row["model_type"]),
        escape(row["features"]),
        escape(str(row["context_size"])),
        escape(row["price"]),
        " ".join(findings),
    ]
    return (
        f'<tr class="model-item" data-model-id="{model_id}">{select}<td>{name}</td>'
        + "".join(f"<td>{cell}</td>" for cell in cells)
        + "</tr>\n"
    )


def rows_html(rows: list[dict], model_url: str, can_edit: bool, changed_refs) -> SafeString:
    """Every value is escaped here: the result is marked safe for the template."""
    html = "".join(row_html(row, model_url, can_edit, changed_refs) for row in rows)
    return mark_safe(html)  # noqa: S308 (built from escaped values above)
