"""generate_signing_key and build_plugin --sign as a person runs them: real processes."""

import stat

import pytest

from designer.core.signing import generate_key_pair, load_public_key, verify_package
from tests.cli.test_commands import assert_refused_with_one_line, manage, spec_file


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    result = manage("generate_signing_key", folder / "team")
    assert result.returncode == 0, result.stderr
    return folder / "team.private.pem", folder / "team.public.pem"


def test_generate_signing_key_writes_an_rsa_4096_pair_with_a_private_file(key_pair):
    private_path, public_path = key_pair
    assert load_public_key(public_path.read_bytes()).key_size == 4096
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert private_path.read_bytes().startswith(b"-----BEGIN RSA PRIVATE KEY-----")


def test_generate_signing_key_refuses_to_overwrite(key_pair):
    private_path, public_path = key_pair
    before = private_path.read_bytes()
    result = manage("generate_signing_key", str(private_path).removesuffix(".private.pem"))
    assert_refused_with_one_line(result, "refusing to overwrite")
    assert private_path.read_bytes() == before


def test_build_plugin_signs_the_package_for_the_category(tmp_path, key_pair):
    private_path, public_path = key_pair
    package = tmp_path / "p.difypkg"
    result = manage(
        "build_plugin",
        spec_file(tmp_path),
        "--out",
        tmp_path / "p.zip",
        "--difypkg",
        package,
        "--sign",
        private_path,
        "--category",
        "partner",
    )
    assert result.returncode == 0, result.stderr
    verified = verify_package(package.read_bytes(), [public_path.read_bytes()])
    assert verified.category == "partner"
    other = generate_key_pair(2048).public_pem
    with pytest.raises(ValueError, match="does not match"):
        verify_package(package.read_bytes(), [other])


def test_build_plugin_signs_as_community_by_default(tmp_path, key_pair):
    private_path, public_path = key_pair
    package = tmp_path / "p.difypkg"
    args = ["--out", tmp_path / "p.zip", "--difypkg", package, "--sign", private_path]
    result = manage("build_plugin", spec_file(tmp_path), *args)
    assert result.returncode == 0, result.stderr
    assert verify_package(package.read_bytes(), [public_path.read_bytes()]).category == "community"


@pytest.mark.parametrize(
    ("key_text", "fragment"),
    [(b"not a key\n", "not a PEM block"), (None, "cannot read")],
)
def test_a_bad_or_missing_key_is_refused_in_one_line_and_nothing_is_written(
    tmp_path, key_text, fragment
):
    key = tmp_path / "k.private.pem"
    if key_text is not None:
        key.write_bytes(key_text)
    out = tmp_path / "p.zip"
    args = ["--out", out, "--difypkg", tmp_path / "p.difypkg", "--sign", key]
    result = manage("build_plugin", spec_file(tmp_path), *args)
    assert_refused_with_one_line(result, fragment)
    assert not out.exists()


def test_sign_without_a_package_is_refused(tmp_path, key_pair):
    result = manage(
        "build_plugin", spec_file(tmp_path), "--out", tmp_path / "p.zip", "--sign", key_pair[0]
    )
    assert_refused_with_one_line(result, "--difypkg")


def test_an_unknown_category_is_refused(tmp_path, key_pair):
    args = ["--out", tmp_path / "p.zip", "--difypkg", tmp_path / "p.difypkg"]
    result = manage(
        "build_plugin", spec_file(tmp_path), *args, "--sign", key_pair[0], "--category", "gold"
    )
    assert result.returncode != 0
    assert "gold" in result.stderr and "Traceback" not in result.stderr
