"""Booting a plugin as the Marketplace's check does: `python -m main`, serverless, /health."""

import os
import time

import pytest

from designer.core.boot_check import boot_tree
from designer.core.render import render
from designer.core.validation import validate
from tests.core.factories import plugin_document

pytestmark = pytest.mark.sdk


@pytest.fixture(scope="module")
def files():
    return render(validate(plugin_document()).spec)


def test_a_generated_plugin_comes_up(files):
    boot = boot_tree(files)
    assert boot.ok, boot.error


def test_a_plugin_that_fails_to_register_fails_with_its_output(files):
    broken = {**files, "provider/demo.py": b"raise RuntimeError('boom at import')\n"}
    boot = boot_tree(broken)
    assert not boot.ok
    assert "exited with code" in boot.error and "boom at import" in boot.error


def test_a_plugin_that_never_serves_times_out_and_is_ended(files, tmp_path):
    pid_file = tmp_path / "pid"
    hanging = (
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(600)\n"
    )
    boot = boot_tree({**files, "main.py": hanging.encode()}, timeout=3)
    assert not boot.ok and "did not come up in time" in boot.error
    pid = int(pid_file.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
