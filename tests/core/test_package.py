import io
import zipfile

import pytest

from designer.core.errors import PluginSourceError
from designer.core.package import MAX_PACKAGE_BYTES, difypkg_bytes, is_ignored, packaged_files


def names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.parametrize(
    ("path", "pattern", "ignored"),
    [
        (".env", ".env", True),
        ("sub/.env", ".env", True),
        ("a/__pycache__/x.pyc", "__pycache__/", True),
        ("__pycache__", "__pycache__/", False),  # a file of that name is not a folder
        ("x.pyc", "*.pyc", True),
        ("models/llm/x.pyc", "*.pyc", True),
        ("tests/test_a.py", "tests/", True),
        ("docs/tests.md", "tests/", False),
        ("build/out.txt", "/build", True),
        ("src/build/out.txt", "/build", False),
        ("a/b/c.log", "a/**/*.log", True),
        ("main.py", ".venv/", False),
    ],
)
def test_ignore_patterns_match_like_gitignore(path, pattern, ignored):
    assert is_ignored(path, [pattern]) is ignored


def test_the_package_applies_difyignore_and_drops_negations():
    files = {
        ".difyignore": b"# comment\n.env\n!.env\n__pycache__/\n",
        ".env": b"SECRET=1",
        "main.py": b"",
        "a/__pycache__/m.pyc": b"",
        "manifest.yaml": b"",
    }
    assert list(packaged_files(files)) == [".difyignore", "main.py", "manifest.yaml"]


def test_gitignore_is_used_when_there_is_no_difyignore():
    files = {".gitignore": b"*.log\n", "run.log": b"", "main.py": b""}
    assert list(packaged_files(files)) == [".gitignore", "main.py"]


def test_the_package_is_a_sorted_zip_without_folder_entries_rooted_at_the_plugin():
    files = {"z.txt": b"z", "models/llm/llm.py": b"", "manifest.yaml": b"", "_assets/i.svg": b""}
    entries = names(difypkg_bytes(files))
    assert entries == sorted(files)
    assert not any(name.endswith("/") for name in entries)


def test_the_package_is_deterministic():
    files = {"manifest.yaml": b"a", "main.py": b"b"}
    assert difypkg_bytes(files) == difypkg_bytes(dict(reversed(files.items())))


def test_a_package_above_50_mb_is_refused():
    files = {"big.bin": b"\0" * (MAX_PACKAGE_BYTES + 1)}
    with pytest.raises(PluginSourceError, match="50 MB"):
        difypkg_bytes(files)
