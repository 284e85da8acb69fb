"""check_plugin as CI runs it: real processes, one finding per line, exit 1 on an error."""

import re
import shutil

import pytest

from designer.core.package import difypkg_bytes
from designer.core.render import render
from designer.core.signing import generate_key_pair, sign_package
from designer.core.validation import validate
from tests.cli.test_commands import FIXTURES, assert_refused_with_one_line, manage, spec_file
from tests.core.factories import plugin_document

LINE = re.compile(r"^(error|warning) \S.*: .+$")


def lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_an_official_plugin_folder_is_checked_with_its_warnings(tmp_path):
    # The shared fixtures keep no Python code, so the only errors are the missing code pieces.
    result = manage("check_plugin", FIXTURES / "jina")
    assert result.returncode == 1, result.stderr
    assert lines(result) and all(LINE.match(line) for line in lines(result))
    errors = [line for line in lines(result) if line.startswith("error ")]
    assert errors and all(line.startswith("error code.added.") for line in errors)
    assert "warning manifest.privacy: " in result.stdout
    assert "warning files.README.md: " in result.stdout


def test_a_zip_of_the_plugin_is_checked_like_the_folder(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "jina"), "zip", FIXTURES / "jina")
    result = manage("check_plugin", archive)
    assert result.returncode == 1, result.stderr
    assert lines(result) == lines(manage("check_plugin", FIXTURES / "jina"))


def test_a_spec_with_an_error_exits_1_and_names_the_field(tmp_path):
    result = manage("check_plugin", spec_file(tmp_path, plugin_document(author="Acme")))
    assert result.returncode == 1
    assert any(line.startswith("error manifest.author: ") for line in lines(result))
    assert all(LINE.match(line) for line in lines(result))


def test_a_clean_spec_prints_nothing_and_exits_0(tmp_path):
    result = manage("check_plugin", spec_file(tmp_path))
    assert (result.returncode, result.stdout.strip()) == (0, "")


@pytest.fixture
def signed_package(tmp_path):
    keys = generate_key_pair(2048)
    package = tmp_path / "demo.difypkg"
    files = render(validate(plugin_document()).spec)
    package.write_bytes(sign_package(difypkg_bytes(files), keys.private_pem))
    (tmp_path / "ours.public.pem").write_bytes(keys.public_pem)
    (tmp_path / "other.public.pem").write_bytes(generate_key_pair(2048).public_pem)
    return package


def test_a_package_is_checked_and_its_signature_verified(tmp_path, signed_package):
    good = manage("check_plugin", signed_package, "--public-key", tmp_path / "ours.public.pem")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = manage("check_plugin", signed_package, "--public-key", tmp_path / "other.public.pem")
    assert bad.returncode == 1
    assert "error signature: the signature does not match" in bad.stdout


def test_a_path_that_cannot_be_read_is_refused_in_one_line(tmp_path):
    result = manage("check_plugin", tmp_path / "missing")
    assert_refused_with_one_line(result, "missing")


@pytest.mark.sdk
def test_build_with_verify_fails_when_the_plugin_does_not_start(tmp_path):
    document = plugin_document()
    document.setdefault("files", {})["main.py"] = {"text": "raise SystemExit('no start today')\n"}
    out = tmp_path / "p.zip"
    result = manage("build_plugin", spec_file(tmp_path, document), "--out", out, "--verify")
    assert_refused_with_one_line(result, "does not start as Dify's Marketplace", "no start today")
    assert not out.exists()
