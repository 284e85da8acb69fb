from designer.builds.changes import recorded_changes
from designer.builds.models import Build, Status
from designer.builds.service import renderer_fingerprint, spec_digest, store_artifact


def finished_build(project, data=b"zip-bytes", **fields) -> Build:
    """A succeeded build whose artifacts are really stored, with its changes recorded as the
    worker records them (no worker needed)."""
    zip_name, zip_size, zip_sha = store_artifact(data, "zip")
    package_name, package_size, package_sha = store_artifact(data + b"-pkg", "difypkg")
    values = dict(
        project=project,
        snapshot=project.spec,
        spec_sha256=spec_digest(project.spec),
        plugin_version="0.0.1",
        renderer=renderer_fingerprint(),
        status=Status.SUCCEEDED,
        step="store",
        zip_name=zip_name,
        zip_size=zip_size,
        zip_sha256=zip_sha,
        package_name=package_name,
        package_size=package_size,
        package_sha256=package_sha,
        verification={"ok": True, "models": 2},
    )
    values.update(fields)
    build = Build.objects.create(**values)
    if build.status == Status.SUCCEEDED:
        build.changes = recorded_changes(build)
        build.save(update_fields=["changes"])
    return build
