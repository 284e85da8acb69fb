"""Finding look-ups for validation tests."""

from designer.core.validation import validate


def findings_at(document, path, level=None):
    report = validate(document)
    return [f for f in report.findings if f.path == path and (level is None or f.level == level)]


def errors_at(document, path):
    return findings_at(document, path, "error")


def warnings_at(document, path):
    return findings_at(document, path, "warning")
