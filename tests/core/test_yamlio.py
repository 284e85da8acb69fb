import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from designer.core.errors import PluginSourceError
from designer.core.yamlio import (
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    dump_yaml,
    dump_yaml_mapping,
    load_yaml,
)

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
FIXTURE_YAML = sorted(FIXTURES.rglob("*.yaml"))


def refusal(data, name="test.yaml") -> str:
    with pytest.raises(PluginSourceError) as caught:
        load_yaml(data, name)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    return message


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


# load_yaml: what it accepts


def test_a_mapping_loads_from_bytes_and_from_text():
    assert load_yaml(b"a: 1\nb: [x, y]\n", "t.yaml") == {"a": 1, "b": ["x", "y"]}
    assert load_yaml("a: 1\nb: [x, y]\n", "t.yaml") == {"a": 1, "b": ["x", "y"]}


def test_an_empty_document_loads_as_none():
    assert load_yaml(b"", "empty.yaml") is None
    assert load_yaml(b"# only a comment\n", "empty.yaml") is None


def test_a_utf8_byte_order_mark_is_accepted():
    assert load_yaml("\ufeffname: é\n".encode(), "bom.yaml") == {"name": "é"}
    assert load_yaml("\ufeffname: é\n", "bom.yaml") == {"name": "é"}


def test_anchors_and_merge_keys_within_limits_still_work():
    text = "base: &base {a: 1}\nmore:\n  <<: *base\n  b: 2\n"

    assert load_yaml(text, "t.yaml") == {"base": {"a": 1}, "more": {"a": 1, "b": 2}}


def test_nesting_up_to_the_depth_limit_is_accepted():
    text = "[" * MAX_YAML_DEPTH + "]" * MAX_YAML_DEPTH

    assert load_yaml(text, "deep.yaml") is not None


@pytest.mark.parametrize("path", FIXTURE_YAML, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_fixture_yaml_file_loads_like_safe_load(path):
    data = path.read_bytes()

    assert load_yaml(data, path.name) == yaml.safe_load(data)


# load_yaml: what it refuses


def test_a_python_object_apply_tag_is_refused():
    message = refusal("!!python/object/apply:os.system ['echo hi']\n")

    assert "python/object/apply:os.system" in message
    assert message.endswith("(line 1)")


def test_a_python_name_tag_is_refused():
    assert "python/name:os.system" in refusal("cmd: !!python/name:os.system\n")


def test_a_python_object_new_tag_is_refused():
    assert "python/object/new" in refusal("x: !!python/object/new:os.system [echo hi]\n")


def test_a_billion_laughs_bomb_is_refused_quickly():
    started = time.perf_counter()
    message = refusal(billion_laughs())

    assert message == "test.yaml: more than 200000 YAML nodes once aliases are expanded"
    assert time.perf_counter() - started < 1


def test_a_merge_key_bomb_is_refused():
    lines = ["m0: &m0 {k: v}"]
    for level in range(1, 20):
        lines.append(f"m{level}: &m{level} {{a: *m{level - 1}, b: *m{level - 1}}}")

    assert "aliases are expanded" in refusal("\n".join(lines) + "\n")


def test_a_recursive_alias_is_refused():
    assert "aliases are expanded" in refusal("a: &a [*a]\n")


def test_deep_flow_nesting_is_refused_without_crashing():
    started = time.perf_counter()
    message = refusal("[" * 1_000_000)

    assert message == f"test.yaml: nested more than {MAX_YAML_DEPTH} levels deep (line 1)"
    assert time.perf_counter() - started < 1


def test_deep_block_nesting_is_refused_without_crashing():
    message = refusal("- " * 1_000_000 + "x\n")

    assert message == f"test.yaml: nested more than {MAX_YAML_DEPTH} levels deep (line 1)"


def test_bytes_over_the_size_limit_are_refused():
    data = b"a: " + b"x" * MAX_YAML_BYTES + b"\n"

    assert refusal(data) == "test.yaml: larger than 2 MB"


def test_text_over_the_size_limit_once_encoded_is_refused():
    text = "a: " + "é" * (MAX_YAML_BYTES // 2 + 1) + "\n"

    assert refusal(text) == "test.yaml: larger than 2 MB"


def test_latin1_bytes_are_refused_as_not_utf8():
    assert refusal("name: café\n".encode("latin-1")) == "test.yaml: not UTF-8 text (byte 9)"


def test_utf16_bytes_are_refused_as_not_utf8():
    assert "not UTF-8" in refusal("name: x\n".encode("utf-16"))


def test_text_with_an_unpaired_surrogate_is_refused():
    assert "surrogate" in refusal("name: \ud800\n")


def test_more_than_one_document_is_refused():
    message = refusal(b"a: 1\n---\nb: 2\n")

    assert message == "test.yaml: more than one YAML document (line 2)"


def test_a_syntax_error_is_one_line_with_the_file_name_and_line():
    message = refusal(b"a: 1\nb: [unclosed\nc: 3\n", name="manifest.yaml")

    assert message == "manifest.yaml: did not find expected ',' or ']' (line 3)"


def test_a_bad_indentation_error_gives_its_line():
    message = refusal(b"a:\n  b: 1\n c: 2\n")

    assert message.endswith("(line 3)")


def test_a_control_character_is_refused_with_its_line():
    message = refusal(b"a: 1\nb: \x01\n")

    assert message == "test.yaml: control characters are not allowed (line 2)"


def test_an_unhashable_key_is_refused():
    assert "unhashable" in refusal(b"? [a, b]\n: c\n")


def test_an_impossible_date_is_refused():
    assert "month must be in 1..12" in refusal(b"created: 2024-13-45\n")


def test_an_undefined_alias_is_refused():
    assert "undefined alias" in refusal(b"a: *nowhere\n")


# dump_yaml


def test_dump_quotes_strings_that_would_load_as_numbers_booleans_nulls_or_dates():
    data = {
        "input": "3.00",
        "created_at": "2024-09-20T00:13:50Z",
        "v": "1",
        "b": "true",
        "n": "null",
    }

    text = dump_yaml(data)

    assert text == (
        b"input: '3.00'\ncreated_at: '2024-09-20T00:13:50Z'\nv: '1'\nb: 'true'\nn: 'null'\n"
    )
    assert load_yaml(text, "t.yaml") == data


@pytest.mark.parametrize(
    "value",
    [
        "first line\nsecond line\n",
        "no trailing newline\nend",
        "'single' and \"double\" quotes",
        "back\\slash and \\n literally",
        '"""triple quotes"""',
        "日本語 и кириллица, émoji 🎉",
        "  leading and trailing spaces  ",
        "key: value # not a comment",
        "# starts like a comment",
        "- looks like a list item",
        "\ttab\tinside",
        "",
        "~",
        "<<",
    ],
)
def test_dump_round_trips_an_awkward_string(value):
    data = {"value": value, value: "as a key"}

    assert load_yaml(dump_yaml(data), "t.yaml") == data


def test_dump_writes_block_style_in_insertion_order_with_unicode_as_is():
    data = {"z": 1, "a": {"label": {"zh_Hans": "模型", "en_US": "Model"}}, "list": [1, 2]}

    text = dump_yaml(data)

    assert text == (
        "z: 1\na:\n  label:\n    zh_Hans: 模型\n    en_US: Model\nlist:\n- 1\n- 2\n".encode()
    )


def test_dump_does_not_wrap_long_lines():
    long = " ".join(["word"] * 500)

    assert dump_yaml({"description": long}) == f"description: {long}\n".encode()


def test_dump_always_ends_with_a_newline():
    for data in ({}, [], "x", None, 1, {"a": "b\n"}):
        assert dump_yaml(data).endswith(b"\n")


def test_dump_of_a_fixture_model_file_loads_back_equal():
    path = FIXTURES / "anthropic/models/llm/claude-sonnet-4-5.yaml"
    data = load_yaml(path.read_bytes(), path.name)

    assert load_yaml(dump_yaml(data), path.name) == data


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


@given(yaml_values)
def test_dump_then_load_gives_back_the_same_data(data):
    assert load_yaml(dump_yaml(data), "t.yaml") == data


@pytest.mark.parametrize("path", FIXTURE_YAML, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_mapping_dumped_from_cached_pieces_is_the_whole_dump(path):
    data = yaml.safe_load(path.read_bytes())
    if not isinstance(data, dict):
        pytest.skip("a list: dumped whole")
    edited = {**data, "added": [{"a": 1}, "x", [], {}], "empty": {}}
    for document in (data, data, edited):  # the second time from the cache
        assert dump_yaml_mapping(document) == dump_yaml(document)
