"""The core's fingerprint changes with any file the renderer reads, not with bytecode caches."""

import shutil

from designer.core.fingerprint import CORE, core_fingerprint

TEMPLATE = "render/code_templates/main.py.tmpl"


def copy_of_the_core(tmp_path):
    root = tmp_path / "core"
    shutil.copytree(CORE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_a_copy_of_the_core_has_the_same_fingerprint(tmp_path):
    assert core_fingerprint(copy_of_the_core(tmp_path)) == core_fingerprint()


def test_a_changed_template_changes_the_fingerprint(tmp_path):
    root = copy_of_the_core(tmp_path)
    before = core_fingerprint(root)
    (root / TEMPLATE).write_text((root / TEMPLATE).read_text() + "# changed\n")
    assert core_fingerprint(root) != before


def test_a_new_data_file_or_a_moved_one_changes_the_fingerprint(tmp_path):
    root = copy_of_the_core(tmp_path)
    before = core_fingerprint(root)
    (root / "render" / "table.json").write_text("{}")
    with_data = core_fingerprint(root)
    assert with_data != before
    (root / "render" / "table.json").rename(root / "table.json")
    assert core_fingerprint(root) not in (before, with_data)


def test_bytecode_caches_do_not_count(tmp_path):
    root = copy_of_the_core(tmp_path)
    before = core_fingerprint(root)
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "spec.cpython-312.pyc").write_bytes(b"\x00")
    (root / "stray.pyc").write_bytes(b"\x00")
    assert core_fingerprint(root) == before
