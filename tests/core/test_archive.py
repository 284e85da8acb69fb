import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from designer.core import archive
from designer.core.archive import (
    MAX_ENTRIES,
    check_relative_path,
    read_plugin_source,
    write_tree,
    write_zip_atomic,
    zip_tree,
)
from designer.core.errors import PluginSourceError

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
MANIFEST = b"version: 0.0.1\ntype: plugin\nname: demo\n"
PLUGIN = {"manifest.yaml": MANIFEST, "provider/demo.yaml": b"provider: demo\n"}


def make_zip(path: Path, entries, compression=zipfile.ZIP_DEFLATED) -> Path:
    """Write a zip of (name or ZipInfo, bytes) pairs, in order, duplicates and all."""
    with zipfile.ZipFile(path, "w", compression) as archive_file:
        for name, data in entries:
            archive_file.writestr(name, data)
    return path


def plugin_zip(path: Path, *extra) -> Path:
    return make_zip(path, [*PLUGIN.items(), *extra])


def make_folder(root: Path, files: dict[str, bytes]) -> Path:
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def refusal(source, **limits) -> str:
    with pytest.raises(PluginSourceError) as caught:
        read_plugin_source(source, **limits)
    message = str(caught.value)
    assert "\n" not in message
    return message


def symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


# check_relative_path


def test_a_plain_relative_path_comes_back_unchanged():
    assert check_relative_path("models/llm/gpt-4.yaml") == "models/llm/gpt-4.yaml"


def test_dot_segments_and_doubled_slashes_are_normalised_away():
    assert check_relative_path("./models/./llm//gpt-4.yaml") == "models/llm/gpt-4.yaml"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("C:\\x", "absolute"),
        ("C:/x", "absolute"),
        ("../evil", "'..'"),
        ("models/../../evil", "'..'"),
        ("models\\evil", "backslash"),
        ("a\x00b", "control character"),
        ("a\nb", "control character"),
        ("a\x7fb", "control character"),
        ("models/", "slash"),
        (".", "names no file"),
        ("./", "slash"),
    ],
)
def test_an_unsafe_path_is_refused_with_its_name_and_reason(path, why):
    with pytest.raises(PluginSourceError) as caught:
        check_relative_path(path)
    message = str(caught.value)
    assert repr(path) in message
    assert why in message
    assert "\n" not in message


# read_plugin_source: zips


def test_a_zip_is_read_whatever_its_file_name(tmp_path):
    source = plugin_zip(tmp_path / "demo.bin")

    assert read_plugin_source(source) == PLUGIN


def test_a_difypkg_is_read_as_a_zip(tmp_path):
    assert read_plugin_source(plugin_zip(tmp_path / "demo.difypkg")) == PLUGIN


def test_a_zip_entry_climbing_out_with_dotdot_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", ("../evil", b"x"))

    assert "'../evil'" in refusal(source)


def test_an_absolute_zip_entry_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", ("/etc/x", b"x"))

    assert "'/etc/x'" in refusal(source)


def test_a_zip_entry_with_a_backslash_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", ("models\\..\\..\\evil", b"x"))

    assert "backslash" in refusal(source)


def test_a_zip_folder_entry_climbing_out_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", ("../", b""))

    assert "'..'" in refusal(source)


def test_a_symlink_entry_in_a_zip_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", (symlink_info("provider/link"), b"/etc/passwd"))

    assert refusal(source) == "symlinks are not allowed: provider/link"


def test_an_encrypted_zip_entry_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip")
    data = bytearray(source.read_bytes())
    # zipfile cannot write encrypted entries; set the "encrypted" flag bit in both headers.
    data[data.find(b"PK\x03\x04") + 6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    source.write_bytes(data)

    assert refusal(source) == "encrypted entries are not allowed: manifest.yaml"


def test_duplicate_zip_entries_are_refused(tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):
        source = plugin_zip(tmp_path / "evil.zip", ("manifest.yaml", b"name: other\n"))

    assert refusal(source) == "duplicate entry in archive: manifest.yaml"


def test_zip_entries_that_are_duplicates_once_normalised_are_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", ("./manifest.yaml", b"name: other\n"))

    assert refusal(source) == "duplicate entry in archive: manifest.yaml"


def test_a_zip_with_a_file_that_is_also_a_folder_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "evil.zip", ("provider/demo.yaml/x", b"x"))

    assert refusal(source) == "both a file and a folder in archive: provider/demo.yaml"


def test_a_zip_bomb_of_one_huge_entry_is_stopped_quickly(tmp_path):
    source = tmp_path / "bomb.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("manifest.yaml", MANIFEST)
        with bomb.open("zeros.bin", "w") as member:
            for _ in range(60):
                member.write(bytes(1024 * 1024))
    assert source.stat().st_size < 1024 * 1024

    started = time.perf_counter()
    message = refusal(source)

    assert message == "bomb.zip: larger than 50 MB uncompressed"
    assert time.perf_counter() - started < 3


def test_many_entries_each_under_the_limit_but_over_it_together_are_stopped(tmp_path):
    zeros = bytes(9 * 1024 * 1024)
    source = plugin_zip(tmp_path / "bomb.zip", *[(f"part{i}.bin", zeros) for i in range(6)])

    started = time.perf_counter()
    message = refusal(source)

    assert message == "bomb.zip: larger than 50 MB uncompressed"
    assert time.perf_counter() - started < 3


def test_a_zip_over_a_lowered_size_limit_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "big.zip", ("big.bin", bytes(2000)))

    assert refusal(source, max_total_bytes=1000) == "big.zip: larger than 1000 bytes uncompressed"


def test_a_zip_with_more_entries_than_the_limit_is_refused(tmp_path):
    source = plugin_zip(tmp_path / "many.zip", *[(f"f{i}", b"") for i in range(4)])

    assert refusal(source, max_entries=5) == "many.zip: more than 5 entries"


def test_a_zip_with_exactly_the_entry_limit_is_read(tmp_path):
    source = plugin_zip(tmp_path / "many.zip", *[(f"f{i}", b"") for i in range(3)])

    assert len(read_plugin_source(source, max_entries=5)) == 5


def test_a_zip_with_one_entry_more_than_the_default_limit_is_refused_quickly(tmp_path):
    entries = [(f"f{i}", b"") for i in range(MAX_ENTRIES + 1 - len(PLUGIN))]
    source = plugin_zip(tmp_path / "many.zip", *entries)

    started = time.perf_counter()
    message = refusal(source)

    assert message == f"many.zip: more than {MAX_ENTRIES} entries"
    assert time.perf_counter() - started < 3


def test_a_huge_central_directory_is_refused_before_zipfile_parses_it(tmp_path, monkeypatch):
    source = plugin_zip(tmp_path / "many.zip", *[(f"f{i}", b"") for i in range(50)])

    def must_not_open(*args, **kwargs):
        raise AssertionError("zipfile parsed the central directory")

    monkeypatch.setattr(archive.zipfile, "ZipFile", must_not_open)

    assert refusal(source, max_entries=10) == "many.zip: more than 10 entries"


def test_a_zip_entry_with_a_bad_checksum_is_refused_as_corrupt(tmp_path):
    entries = [*PLUGIN.items(), ("notes.txt", b"hello world")]
    source = make_zip(tmp_path / "bad.zip", entries, zipfile.ZIP_STORED)
    data = source.read_bytes()
    source.write_bytes(data.replace(b"hello world", b"HELLO world"))

    message = refusal(source)

    assert message.startswith("corrupt archive bad.zip: ")
    assert "CRC" in message


def test_a_zip_entry_with_a_broken_deflate_stream_is_refused_as_corrupt(tmp_path):
    source = make_zip(tmp_path / "bad.zip", [("manifest.yaml", MANIFEST * 50)])
    data = bytearray(source.read_bytes())
    start = data.find(b"manifest.yaml") + len("manifest.yaml")
    data[start : start + 8] = b"\xff" * 8
    source.write_bytes(data)

    assert refusal(source).startswith("corrupt archive bad.zip: ")


def test_a_truncated_zip_is_refused(tmp_path):
    whole = plugin_zip(tmp_path / "whole.zip").read_bytes()
    source = tmp_path / "cut.zip"
    source.write_bytes(whole[: len(whole) // 2])

    assert refusal(source) == "not a plugin folder, .zip or .difypkg: cut.zip"


def test_random_bytes_named_difypkg_are_refused(tmp_path):
    source = tmp_path / "random.difypkg"
    source.write_bytes(os.urandom(4096))

    assert refusal(source) == "not a plugin folder, .zip or .difypkg: random.difypkg"


def test_a_zip_without_a_manifest_is_refused(tmp_path):
    source = make_zip(tmp_path / "empty.zip", [("provider/demo.yaml", b"x")])

    assert refusal(source) == "no manifest.yaml found in empty.zip"


def test_a_github_style_single_top_folder_is_stripped(tmp_path):
    entries = [("demo-main/", b"")] + [(f"demo-main/{p}", d) for p, d in PLUGIN.items()]
    source = make_zip(tmp_path / "demo-main.zip", entries)

    assert read_plugin_source(source) == PLUGIN


def test_a_top_folder_is_kept_when_something_sits_beside_it(tmp_path):
    entries = [(f"demo-main/{p}", d) for p, d in PLUGIN.items()] + [("README.md", b"x")]
    source = make_zip(tmp_path / "demo-main.zip", entries)

    assert refusal(source) == "no manifest.yaml found in demo-main.zip"


def test_folder_entries_and_dot_slash_prefixes_leave_no_trace(tmp_path):
    entries = [("./", b""), ("provider/", b"")] + [(f"./{p}", d) for p, d in PLUGIN.items()]
    source = make_zip(tmp_path / "demo.zip", entries)

    assert read_plugin_source(source) == PLUGIN


def test_junk_in_a_zip_is_skipped(tmp_path):
    junk = [
        ("__MACOSX/demo-main/._manifest.yaml", b"x"),
        ("demo-main/.DS_Store", b"x"),
        ("demo-main/.git/config", b"x"),
        ("demo-main/provider/__pycache__/demo.cpython-312.pyc", b"x"),
        ("demo-main/provider/demo.pyc", b"x"),
        (symlink_info("demo-main/.venv/bin/python"), b"/usr/bin/python3"),
    ]
    entries = [(f"demo-main/{p}", d) for p, d in PLUGIN.items()] + junk
    source = make_zip(tmp_path / "demo.zip", entries)

    assert read_plugin_source(source) == PLUGIN


def test_a_real_fixture_survives_zip_tree_and_read_back(tmp_path):
    files = read_plugin_source(FIXTURES / "openai")
    source = tmp_path / "openai.difypkg"
    source.write_bytes(zip_tree(files))

    assert read_plugin_source(source) == files


# read_plugin_source: folders


def test_a_real_fixture_folder_reads_as_the_bytes_on_disk():
    root = FIXTURES / "anthropic"
    on_disk = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }

    files = read_plugin_source(root)

    assert files == on_disk
    assert list(files) == sorted(files)


def test_a_symlinked_file_in_a_folder_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", PLUGIN)
    (root / "provider" / "secret.yaml").symlink_to("/etc/passwd")

    assert refusal(root) == "symlinks are not allowed: provider/secret.yaml"


def test_a_symlinked_folder_in_a_folder_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", PLUGIN)
    (root / "models").symlink_to("/etc", target_is_directory=True)

    assert refusal(root) == "symlinks are not allowed: models"


def test_a_dangling_symlink_in_a_folder_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", PLUGIN)
    (root / "gone.yaml").symlink_to(tmp_path / "nowhere")

    assert refusal(root) == "symlinks are not allowed: gone.yaml"


def test_a_fifo_in_a_folder_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", PLUGIN)
    os.mkfifo(root / "pipe")

    assert refusal(root) == "special files are not allowed: pipe"


def test_a_fifo_as_the_source_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.zip")

    assert refusal(tmp_path / "pipe.zip") == "not a plugin folder, .zip or .difypkg: pipe.zip"


def test_junk_in_a_folder_is_skipped_even_when_it_holds_symlinks(tmp_path):
    junk = {
        ".git/HEAD": b"ref: refs/heads/main\n",
        ".DS_Store": b"x",
        "provider/__pycache__/demo.cpython-312.pyc": b"x",
        "provider/demo.pyc": b"x",
        ".mypy_cache/x": b"x",
        ".pytest_cache/x": b"x",
        ".ruff_cache/x": b"x",
        "venv/x": b"x",
        "__MACOSX/x": b"x",
    }
    root = make_folder(tmp_path / "plugin", PLUGIN | junk)
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").symlink_to("/usr/bin/python3")

    assert read_plugin_source(root) == PLUGIN


def test_a_folder_with_more_entries_than_the_limit_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", PLUGIN | {f"f{i}": b"" for i in range(3)})

    assert refusal(root, max_entries=5) == "plugin: more than 5 entries"


def test_a_folder_over_the_size_limit_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", PLUGIN | {"big.bin": bytes(2000)})

    assert refusal(root, max_total_bytes=1000) == "plugin: larger than 1000 bytes uncompressed"


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    root = make_folder(tmp_path / "plugin", {"provider/demo.yaml": b"x"})

    assert refusal(root) == "no manifest.yaml found in plugin"


def test_a_folder_holding_the_plugin_in_one_subfolder_is_stripped(tmp_path):
    make_folder(tmp_path / "download" / "demo-main", PLUGIN)

    assert read_plugin_source(tmp_path / "download") == PLUGIN


def test_a_missing_path_is_refused(tmp_path):
    assert refusal(tmp_path / "nowhere.difypkg") == "no such file or folder: nowhere.difypkg"


def test_a_plain_file_is_refused(tmp_path):
    (tmp_path / "manifest.yaml").write_bytes(MANIFEST)

    message = refusal(tmp_path / "manifest.yaml")

    assert message == "not a plugin folder, .zip or .difypkg: manifest.yaml"


# zip_tree and write_zip_atomic


def test_zip_tree_gives_the_same_bytes_whatever_the_order_or_the_time(monkeypatch):
    first = zip_tree(PLUGIN)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    monkeypatch.setattr(time, "localtime", lambda *args: time.gmtime(2_000_000_000))

    assert zip_tree(dict(reversed(PLUGIN.items()))) == first


def test_zip_tree_entries_are_sorted_files_with_fixed_times_and_modes(tmp_path):
    files = {"b.txt": b"b", "a/z.txt": b"z", "a/b/c.txt": b"c", "é.txt": b"e"}
    source = tmp_path / "out.zip"
    source.write_bytes(zip_tree(files))

    with zipfile.ZipFile(source) as archive_file:
        infos = archive_file.infolist()

    assert [info.filename for info in infos] == sorted(files)
    for info in infos:
        assert not info.is_dir()
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == stat.S_IFREG | 0o644
        assert info.compress_type == zipfile.ZIP_DEFLATED


def test_zip_tree_refuses_an_unsafe_path():
    with pytest.raises(PluginSourceError, match="'../evil'"):
        zip_tree({"../evil": b"x"})


def test_zip_tree_refuses_a_second_spelling_of_a_path():
    with pytest.raises(PluginSourceError, match=r"'\./a.txt': it has a '\.' segment"):
        zip_tree({"a.txt": b"1", "./a.txt": b"2"})


def test_write_zip_atomic_leaves_only_the_zip(tmp_path):
    out = tmp_path / "demo.zip"
    out.write_bytes(b"old")

    write_zip_atomic(PLUGIN, out)

    assert [path.name for path in tmp_path.iterdir()] == ["demo.zip"]
    assert out.read_bytes() == zip_tree(PLUGIN)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_write_zip_atomic_removes_its_temporary_file_when_it_fails(tmp_path):
    out = tmp_path / "demo.zip"
    out.mkdir()  # os.replace cannot put a file over a folder

    with pytest.raises(OSError):
        write_zip_atomic(PLUGIN, out)

    assert [path.name for path in tmp_path.iterdir()] == ["demo.zip"]
    assert out.is_dir()


# write_tree


def test_write_tree_writes_every_file_with_mode_644(tmp_path):
    write_tree(PLUGIN, tmp_path / "out")

    assert read_plugin_source(tmp_path / "out") == PLUGIN
    for path in PLUGIN:
        assert stat.S_IMODE((tmp_path / "out" / path).stat().st_mode) == 0o644


def test_write_tree_overwrites_files_already_there(tmp_path):
    make_folder(tmp_path, {"manifest.yaml": b"old, and longer than the new one\n"})

    write_tree(PLUGIN, tmp_path)

    assert (tmp_path / "manifest.yaml").read_bytes() == MANIFEST


def test_write_tree_refuses_a_path_climbing_out(tmp_path):
    with pytest.raises(PluginSourceError, match="'../evil'"):
        write_tree({"../evil": b"x"}, tmp_path / "out")

    assert not (tmp_path / "evil").exists()


def test_write_tree_refuses_an_absolute_path(tmp_path):
    with pytest.raises(PluginSourceError, match="absolute"):
        write_tree({str(tmp_path / "evil"): b"x"}, tmp_path / "out")

    assert not (tmp_path / "evil").exists()


def test_write_tree_refuses_to_write_through_a_symlinked_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "provider").symlink_to(outside, target_is_directory=True)

    with pytest.raises(PluginSourceError, match="symlink: provider/demo.yaml"):
        write_tree(PLUGIN, dest)

    assert list(outside.iterdir()) == []


def test_write_tree_refuses_to_write_through_a_symlinked_file(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(b"untouched")
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "manifest.yaml").symlink_to(outside)

    with pytest.raises(PluginSourceError, match="symlink: manifest.yaml"):
        write_tree(PLUGIN, dest)

    assert outside.read_bytes() == b"untouched"


def test_write_tree_accepts_a_destination_that_is_itself_a_symlink(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)

    write_tree(PLUGIN, tmp_path / "link")

    assert read_plugin_source(tmp_path / "real") == PLUGIN
