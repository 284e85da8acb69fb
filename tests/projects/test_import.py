"""Import a project from an upload (plugin .zip, .difypkg, design spec), export its spec."""

import io
import stat
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from designer.core.archive import read_plugin_source, zip_tree
from designer.core.parse import import_plugin
from designer.core.render import render
from designer.core.specfile import spec_yaml
from designer.core.validation import validate
from designer.projects.models import Project, SpecPart

pytestmark = pytest.mark.django_db

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
PLUGINS = ["anthropic", "jina", "openai", "openai_api_compatible"]
MANIFEST = (FIXTURES / "jina/manifest.yaml").read_bytes()


def upload(client, name: str, data: bytes):
    return client.post(reverse("projects:import"), {"plugin": SimpleUploadedFile(name, data)})


def zip_of(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries:
            archive.writestr(entry, data)
    return buffer.getvalue()


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def fixture_zip(name: str) -> bytes:
    return zip_tree(read_plugin_source(FIXTURES / name))


def imported(response) -> Project:
    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:review", args=[project.pk])
    return project


@pytest.mark.parametrize("suffix", [".zip", ".difypkg"])
def test_a_plugin_archive_opens_on_its_review_page_with_every_finding(client, editor, suffix):
    client.force_login(editor)
    project = imported(upload(client, f"jina{suffix}", fixture_zip("jina")))
    assert project.name == "Jina"
    assert project.spec == import_plugin(FIXTURES / "jina").to_document()
    page = client.get(reverse("projects:review", args=[project.pk])).content.decode()
    for finding in validate(project.spec).findings:
        assert finding.path in page
    assert "Add it" in page


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_design_spec_imports_as_it_is(client, editor, suffix):
    client.force_login(editor)
    spec = import_plugin(FIXTURES / "anthropic")
    data = spec_yaml(spec)
    if suffix == ".json":
        import json

        data = json.dumps(spec.to_document()).encode()
    project = imported(upload(client, f"spec{suffix}", data))
    assert project.spec == spec.to_document()


def test_a_gallery_style_zip_in_one_top_folder_imports(client, editor):
    client.force_login(editor)
    files = read_plugin_source(FIXTURES / "openai_api_compatible")
    data = zip_tree({f"top/{path}": content for path, content in files.items()})
    imported(upload(client, "download.zip", data))


def laughs() -> bytes:
    """A billion laughs: each alias list triples the one before it."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefghijkl", "bcdefghijklm"):
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}]")
    return "\n".join(lines).encode() + b"\n"


HOSTILE = {
    "path escape": (
        "evil.zip",
        lambda: zip_of([("manifest.yaml", MANIFEST), ("../escape.txt", b"x")]),
        "climbs out",
    ),
    "symlink": (
        "link.zip",
        lambda: zip_of([("manifest.yaml", MANIFEST), (symlink("_assets/x"), b"/etc/passwd")]),
        "symlinks are not allowed",
    ),
    "bomb": (
        "bomb.zip",
        lambda: zip_of([("manifest.yaml", MANIFEST), ("big.bin", b"\0" * (51 * 2**20))]),
        "larger than 50 MB uncompressed",
    ),
    "too many entries": (
        "many.zip",
        lambda: zip_of([("manifest.yaml", MANIFEST)] + [(f"f/{i}", b"") for i in range(10_000)]),
        "more than 10000 entries",
    ),
    "yaml bomb": ("laughs.zip", lambda: zip_of([("manifest.yaml", laughs())]), "manifest.yaml"),
    "yaml tag": (
        "tag.zip",
        lambda: zip_of([("manifest.yaml", b"name: !!python/object/apply:os.system ['true']\n")]),
        "manifest.yaml",
    ),
    "not an archive": ("plugin.zip", lambda: b"just some bytes, not a zip", "not a .zip"),
    "unknown kind": ("notes.txt", lambda: b"hello", "upload a plugin"),
    "spec not a spec": ("spec.yaml", lambda: b"- a list\n", "spec_version"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_upload_is_refused_in_one_sentence_and_writes_nothing(
    client, editor, case, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client.force_login(editor)
    name, make, expected = HOSTILE[case]
    response = upload(client, name, make())
    assert response.status_code == 400
    problem = response.context["problem"]
    assert expected in problem
    assert "\n" not in problem and "Traceback" not in problem
    assert escape(problem) in response.content.decode()
    assert not Project.objects.exists() and not SpecPart.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(client, editor):
    client.force_login(editor)
    response = client.generic(
        "POST",
        reverse("projects:import"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(21 * 2**20 + 10**6),
    )
    assert response.status_code == 400
    assert "larger than 20 MB" in response.context["problem"]
    assert not Project.objects.exists()


def test_an_upload_over_the_limit_without_a_true_length_is_dropped(client, editor, settings):
    from designer.projects import views_import

    settings.FILE_UPLOAD_TEMP_DIR = "/nonexistent"  # a temporary file would fail loudly
    client.force_login(editor)
    original = views_import.MAX_UPLOAD_BYTES
    try:
        views_import.MAX_UPLOAD_BYTES = 1000
        response = upload(client, "big.zip", b"\0" * 5000)
    finally:
        views_import.MAX_UPLOAD_BYTES = original
    assert response.status_code == 400
    assert "larger than" in response.context["problem"]


def test_the_form_states_the_limits(client, editor):
    client.force_login(editor)
    body = client.get(reverse("projects:import")).content.decode()
    assert "20 MB" in body and "10,000 entries" in body and "50 MB uncompressed" in body


def test_a_viewer_cannot_import(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("projects:import")).status_code == 403
    assert upload(client, "jina.zip", fixture_zip("jina")).status_code == 403
    assert not Project.objects.exists()


def test_export_then_import_gives_back_the_same_project(client, editor, project):
    client.force_login(editor)
    first = client.get(reverse("projects:export_spec", args=[project.pk]))
    assert first["Content-Disposition"].endswith('-spec.yaml"')
    response = upload(client, "spec.yaml", first.content)
    copy = Project.objects.exclude(pk=project.pk).get()
    assert response.url == reverse("projects:review", args=[copy.pk])
    second = client.get(reverse("projects:export_spec", args=[copy.pk]))
    assert second.content == first.content
    assert copy.spec == yaml.safe_load(first.content)
    assert validate(copy.spec).spec == validate(project.spec).spec


@pytest.mark.parametrize("name", PLUGINS)
def test_an_official_plugin_round_trips_through_web_import_and_export(client, editor, name):
    client.force_login(editor)
    source = read_plugin_source(FIXTURES / name)
    project = imported(upload(client, f"{name}.zip", zip_tree(source)))
    assert render(validate(project.spec).spec) == source
    exported = client.get(reverse("projects:export_spec", args=[project.pk])).content
    Project.objects.all().delete()
    again = imported(upload(client, f"{name}.yaml", exported))
    assert again.spec == project.spec
    assert render(validate(again.spec).spec) == source
    assert client.get(reverse("projects:export_spec", args=[again.pk])).content == exported


def test_a_viewer_may_export_and_another_team_gets_404(client, viewer, outsider, project):
    client.force_login(viewer)
    assert client.get(reverse("projects:export_spec", args=[project.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("projects:export_spec", args=[project.pk])).status_code == 404


def test_add_it_adds_the_piece_to_the_rebuild_and_the_finding_goes(client, editor, team):
    spec = import_plugin(FIXTURES / "jina")
    project = Project.objects.create(team=team, name="Jina", spec=spec.to_document())
    client.force_login(editor)
    response = client.post(reverse("projects:add_piece", args=[project.pk, "model_code"]))
    assert response.url == reverse("projects:review", args=[project.pk])
    project.refresh_from_db()
    assert project.spec["code"]["added"] == ["model_code", "common_code"]
    files = render(validate(project.spec).spec)
    assert set(files) - set(read_plugin_source(FIXTURES / "jina")) == {
        "models/common.py",
        "models/rerank/rerank.py",
        "models/text_embedding/text_embedding.py",
    }
    assert "code.added.model_code" not in {f.path for f in validate(project.spec).findings}


def test_add_it_is_for_editors_of_the_team(client, viewer, outsider, team):
    project = Project.objects.create(
        team=team, name="Jina", spec=import_plugin(FIXTURES / "jina").to_document()
    )
    url = reverse("projects:add_piece", args=[project.pk, "readme"])
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    project.refresh_from_db()
    assert "added" not in project.spec["code"]


def test_the_import_checks_csrf(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client, "jina.zip", fixture_zip("jina")).status_code == 403
    assert not Project.objects.exists()


def test_adding_a_piece_can_be_undone(client, editor, team):
    project = Project.objects.create(
        team=team, name="Jina", spec=import_plugin(FIXTURES / "jina").to_document()
    )
    client.force_login(editor)
    page = client.post(reverse("projects:add_piece", args=[project.pk, "readme"]), follow=True)
    assert "Added to the rebuild: readme." in page.content.decode()
    change = project.undoable_changes.get()
    client.post(reverse("projects:undo", args=[project.pk]), {"change": change.pk})
    project.refresh_from_db()
    assert "added" not in project.spec["code"]
