"""Offline packages: wheels for both architectures inside, installed with no index."""

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from designer.core.boot_check import boot_dir
from designer.core.errors import PluginSourceError
from designer.core.offline import (
    OFFLINE_REQUIREMENTS_HEADER,
    default_cache_dir,
    offline_files,
    offline_package,
    platform_tags,
    requirement_lines,
)
from designer.core.package import difypkg_bytes
from designer.core.render import render
from designer.core.sdk_check import load_dirs_with_sdk
from designer.core.validation import validate
from tests.cli.test_commands import assert_refused_with_one_line, manage, spec_file
from tests.core.factories import plugin_document

# Repeated runs reuse the downloads kept here.
PIP_CACHE = default_cache_dir()


def test_platform_tags_name_every_manylinux_level_from_glibc_2_28_down():
    tags = platform_tags("aarch64")
    assert tags[0] == "manylinux_2_28_aarch64"
    assert {"manylinux_2_17_aarch64", "manylinux2014_aarch64"} <= set(tags)


def test_requirement_lines_skip_comments_blanks_and_options():
    text = b"# deps\n\n-i https://example.org/simple\ndify_plugin>=0.10  # sdk\nhttpx\n"
    assert requirement_lines({"requirements.txt": text}) == ["dify_plugin>=0.10", "httpx"]


def test_an_unknown_architecture_is_refused():
    with pytest.raises(PluginSourceError, match="amd64 and arm64"):
        offline_files({"requirements.txt": b"httpx\n"}, ["riscv64"])


@pytest.fixture(scope="module")
def plugin_files():
    return render(validate(plugin_document()).spec)


@pytest.fixture(scope="module")
def offline_tree(plugin_files):
    return offline_files(plugin_files, ["amd64", "arm64"], cache_dir=PIP_CACHE)


@pytest.mark.slow
def test_the_offline_tree_holds_wheels_for_both_architectures(offline_tree):
    wheels = [path for path in offline_tree if path.startswith("wheels/")]
    gevent = [path for path in wheels if "/gevent-" in path]
    assert any("x86_64" in path for path in gevent) and any("aarch64" in path for path in gevent)
    assert any("/dify_plugin-" in path for path in wheels)
    requirements = offline_tree["requirements.txt"].decode()
    assert requirements.startswith(OFFLINE_REQUIREMENTS_HEADER)
    assert "pyproject.toml" not in offline_tree  # the daemon would prefer it and go online


@pytest.mark.slow
def test_over_the_size_limit_the_build_names_the_setting_to_raise(plugin_files):
    with pytest.raises(PluginSourceError, match="PLUGIN_MAX_PACKAGE_SIZE"):
        offline_package(plugin_files, ["amd64"], cache_dir=PIP_CACHE, max_bytes=2**20)


def clean_environment() -> dict[str, str]:
    """No pip settings from this machine (its find-links would hide a missing wheel)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    return {**env, "PIP_CONFIG_FILE": os.devnull}


@pytest.mark.slow
@pytest.mark.sdk
def test_an_unpacked_offline_package_installs_with_no_index_and_loads(offline_tree, tmp_path):
    package = offline_package_bytes(offline_tree)
    plugin_dir = tmp_path / "plugin"
    zipfile.ZipFile(io.BytesIO(package)).extractall(plugin_dir)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--no-index", "-r", "requirements.txt"]
    result = subprocess.run(
        install,
        cwd=plugin_dir,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    os.environ["DIFY_SDK_PYTHON"] = str(python)
    try:
        [load] = load_dirs_with_sdk([plugin_dir])
        boot = boot_dir(plugin_dir)
    finally:
        del os.environ["DIFY_SDK_PYTHON"]
    assert load.ok, load.error
    assert boot.ok, boot.error


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("uv", path=Path(sys.executable).parent) is None, reason="no uv")
def test_uv_installs_the_offline_requirements_as_the_daemon_does(offline_tree, tmp_path):
    uv = shutil.which("uv", path=Path(sys.executable).parent)
    plugin_dir = tmp_path / "plugin"
    zipfile.ZipFile(io.BytesIO(offline_package_bytes(offline_tree))).extractall(plugin_dir)
    env = {**clean_environment(), "UV_NO_CONFIG": "1", "UV_CACHE_DIR": str(tmp_path / "uv")}
    run = {"cwd": plugin_dir, "env": env, "capture_output": True, "text": True, "timeout": 600}
    venv = subprocess.run([uv, "venv", "--python", sys.executable, ".venv"], **run)
    assert venv.returncode == 0, venv.stderr
    install = subprocess.run([uv, "pip", "install", "-r", "requirements.txt"], **run)
    assert install.returncode == 0, install.stderr[-2000:]
    assert "dify-plugin" in subprocess.run([uv, "pip", "list"], **run).stdout


def offline_package_bytes(tree) -> bytes:
    return difypkg_bytes(tree)


@pytest.mark.slow
def test_build_plugin_offline_writes_the_offline_package(tmp_path, monkeypatch, offline_tree):
    monkeypatch.setenv("OFFLINE_PIP_CACHE", str(PIP_CACHE))
    package = tmp_path / "p.difypkg"
    args = ["--out", tmp_path / "p.zip", "--difypkg", package, "--offline"]
    result = manage("build_plugin", spec_file(tmp_path), *args)
    assert result.returncode == 0, result.stderr
    names = zipfile.ZipFile(package).namelist()
    assert [n for n in names if n.startswith("wheels/")] == [
        n for n in offline_tree if n.startswith("wheels/")
    ]
    small = manage("build_plugin", spec_file(tmp_path), *args, "--max-package-mb", "1")
    assert_refused_with_one_line(small, "PLUGIN_MAX_PACKAGE_SIZE")
