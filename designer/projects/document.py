"""The effective document of a project: what every page, build and download of it reads.

A project's stored spec may use library definitions by reference; its effective document has
each reference resolved to the definition as it is now. The stored spec is still what a form
edits (a reference stays a reference); everything that shows, checks or builds the plugin reads
this, so a section page, Review and a build can never disagree.
"""

from designer.library.service import resolve_library_refs


def effective_document(project, spec: dict | None = None) -> dict:
    """``project``'s document, or ``spec`` (a draft of it not saved yet), references resolved."""
    return resolve_library_refs(project.spec if spec is None else spec, project.team_id)
