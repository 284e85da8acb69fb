"""import_plugin and build_plugin as a person runs them: real processes, real files."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from designer.core.specfile import write_spec
from designer.core.validation import validate
from tests.core.factories import llm_model, plugin_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")


def manage(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


def assert_refused_with_one_line(result, *fragments):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def spec_file(tmp_path, document=None) -> Path:
    path = tmp_path / "spec.yaml"
    write_spec(validate(document or plugin_document()).spec, path)
    return path


def test_import_then_build_gives_the_plugin_back(tmp_path):
    spec, out = tmp_path / "jina.yaml", tmp_path / "jina.zip"
    imported = manage("import_plugin", FIXTURES / "jina", "--spec-out", spec)
    assert imported.returncode == 0, imported.stderr
    assert "15 models" in imported.stdout
    document = yaml.safe_load(spec.read_text())
    assert document["spec_version"] == 1
    # The fixture leaves its Python out: ask for the generated code.
    document["code"]["added"] = ["main", "provider_code", "model_code", "common_code"]
    spec.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    built = manage("build_plugin", spec, "--out", out, "--difypkg", tmp_path / "jina.difypkg")
    assert built.returncode == 0, built.stderr
    entries = zipfile.ZipFile(out).namelist()
    assert "models/rerank/jina-reranker-v3.yaml" in entries
    source = (FIXTURES / "jina/models/rerank/jina-reranker-v3.yaml").read_bytes()
    assert zipfile.ZipFile(out).read("models/rerank/jina-reranker-v3.yaml") == source
    assert zipfile.ZipFile(tmp_path / "jina.difypkg").namelist() == sorted(entries)


def test_warnings_go_to_stderr_and_do_not_stop_the_build(tmp_path):
    document = plugin_document(author="langgenius")
    result = manage("build_plugin", spec_file(tmp_path, document), "--out", tmp_path / "p.zip")
    assert result.returncode == 0
    assert "manifest.author" in result.stderr
    assert (tmp_path / "p.zip").exists()


def test_an_invalid_spec_is_refused_naming_the_field_and_writes_nothing(tmp_path):
    spec = spec_file(tmp_path)
    document = yaml.safe_load(spec.read_text())
    document["models"] = [llm_model(model_type="chatbot")]
    spec.write_text(yaml.safe_dump(document))
    result = manage("build_plugin", spec, "--out", tmp_path / "p.zip")
    assert_refused_with_one_line(result, "models[0].model_type")
    assert not (tmp_path / "p.zip").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"spec_version: 1\nmanifest: [\n", "spec.yaml"),
        (b"!!python/object/apply:os.system ['echo pwned']\n", "spec.yaml"),
        (b"a: &a [*a, *a]\n" * 1, "spec.yaml"),
        (b"- just a list\n", "mapping"),
        (b"spec_version: 2\n", "spec_version"),
    ],
)
def test_a_broken_or_hostile_spec_is_refused_with_one_line(tmp_path, content, reason):
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(content)
    result = manage("build_plugin", spec, "--out", tmp_path / "p.zip")
    assert_refused_with_one_line(result, reason)
    assert list(tmp_path.iterdir()) == [spec]


def test_a_missing_spec_is_refused_with_one_line(tmp_path):
    result = manage("build_plugin", tmp_path / "nope.yaml", "--out", tmp_path / "p.zip")
    assert_refused_with_one_line(result, "nope.yaml")


def test_an_unwritable_output_is_refused_with_one_line(tmp_path):
    result = manage("build_plugin", spec_file(tmp_path), "--out", tmp_path / "no/such/p.zip")
    assert_refused_with_one_line(result, "cannot write")


def hostile_zip(tmp_path, name: str, entries: dict[str, bytes]) -> Path:
    path = tmp_path / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ({"manifest.yaml": b"a: 1", "../evil.txt": b"x"}, "evil.txt"),
        ({"/etc/passwd": b"x", "manifest.yaml": b"a: 1"}, "/etc/passwd"),
        ({"manifest.yaml": b"!!python/name:os.system\n"}, "manifest.yaml"),
        ({"manifest.yaml": b"a: &a [" + b"*a," * 5 + b"]\n" + b"x: 1\n"}, "manifest.yaml"),
        ({"readme.txt": b"no manifest"}, "manifest.yaml"),
    ],
)
def test_a_hostile_plugin_is_refused_and_nothing_is_written(tmp_path, entries, reason):
    source = hostile_zip(tmp_path, "evil.difypkg", entries)
    out = tmp_path / "out" / "spec.yaml"
    out.parent.mkdir()
    result = manage("import_plugin", source, "--spec-out", out)
    assert_refused_with_one_line(result, reason)
    assert list(out.parent.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    source = tmp_path / "plugin.zip"
    source.write_bytes(b"not a zip at all")
    result = manage("import_plugin", source, "--spec-out", tmp_path / "s.yaml")
    assert_refused_with_one_line(result, "plugin.zip")


def test_a_zip_bomb_is_refused_fast(tmp_path):
    source = hostile_zip(
        tmp_path, "bomb.zip", {"manifest.yaml": b"a: 1", "big": b"\0" * 60_000_000}
    )
    result = manage("import_plugin", source, "--spec-out", tmp_path / "s.yaml")
    assert_refused_with_one_line(result, "50")


@pytest.mark.sdk
def test_build_with_verify_loads_the_plugin_in_the_sdk(tmp_path):
    result = manage("build_plugin", spec_file(tmp_path), "--out", tmp_path / "p.zip", "--verify")
    assert result.returncode == 0, result.stderr
