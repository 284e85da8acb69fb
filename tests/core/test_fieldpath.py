"""The field-path grammar: every key round-trips, bad and over-bounded paths are refused."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.core.fieldpath import (
    MAX_DEPTH,
    MAX_INDEX,
    MAX_LENGTH,
    PathError,
    append_path,
    format_path,
    join_path,
    nesting_depth,
    parse_path,
    split_name,
)
from designer.core.findings import field_path

parts = st.lists(
    st.one_of(st.integers(0, MAX_INDEX), st.text(max_size=12)), max_size=MAX_DEPTH
).filter(lambda p: len(format_path(*p)) <= MAX_LENGTH)


@given(parts)
def test_every_path_round_trips(path):
    assert parse_path(format_path(*path)) == path


@given(parts, parts)
def test_appending_is_formatting_the_whole(head, tail):
    assert append_path(format_path(*head), *tail) == format_path(*head, *tail)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (["models", 3, "parameter_rules", 1, "max"], "models[3].parameter_rules[1].max"),
        (["positions", "a.b"], 'positions["a.b"]'),
        (["x", "3"], 'x["3"]'),
        (["x", ""], 'x[""]'),
        (["x", 'say "hi"\\'], 'x["say \\"hi\\"\\\\"]'),
        (["label", "中文"], 'label["中文"]'),
        (["a-b", 0], '["a-b"][0]'),
        ([0, "x"], "[0].x"),
        ([], ""),
    ],
)
def test_odd_keys_are_quoted_as_json_strings(path, text):
    assert format_path(*path) == text
    assert parse_path(text) == path


def test_a_finding_path_may_start_from_a_path():
    assert field_path("manifest.label", "en_US") == "manifest.label.en_US"
    assert field_path("models", 2, "a.b") == 'models[2]["a.b"]'
    assert join_path("models[0]", "label.en_US") == "models[0].label.en_US"
    assert join_path("models[0]", "[1].max") == "models[0][1].max"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a..b", "unexpected '.'"),
        (".a", "unexpected '.'"),
        ("a.", "unexpected the end"),
        ("a[01]", "unexpected '1'"),
        ("a[-1]", "unexpected '-'"),
        ("a[x]", "unexpected 'x'"),
        ("a['x']", "unexpected"),
        ('a["x]', "not a JSON string"),
        ('a["\\q"]', "not a JSON string"),
        ('a["x"', "unexpected the end"),
        ("a b", "unexpected ' '"),
        ("a[0]b", "unexpected 'b'"),
        (f"x[{MAX_INDEX + 1}]", f"over {MAX_INDEX}"),
        ("x[300000000000000000000]", f"over {MAX_INDEX}"),
        ("a" + ".a" * MAX_DEPTH, f"deeper than {MAX_DEPTH}"),
        ("a" * (MAX_LENGTH + 1), f"longer than {MAX_LENGTH}"),
    ],
)
def test_a_bad_path_is_refused_with_a_reason(text, why):
    with pytest.raises(PathError, match=why.replace("[", "\\[")):
        parse_path(text)


def test_the_bounds_themselves_parse():
    assert len(parse_path("a" + ".a" * (MAX_DEPTH - 1))) == MAX_DEPTH
    assert parse_path(f"x[{MAX_INDEX}]") == ["x", MAX_INDEX]


def test_a_huge_path_is_refused_at_once():
    started = time.perf_counter()
    for text in ("a" * 10**7, "a" + ".a" * 10**6, "x[" + "9" * 10**6 + "]"):
        with pytest.raises(PathError):
            parse_path(text)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.b:int", ("a.b", "int")),
        ("a.b", ("a.b", "str")),
        ('a["x:int"]', ('a["x:int"]', "str")),
        ('a["x:y"]:number', ('a["x:y"]', "number")),
    ],
)
def test_an_input_name_is_a_path_and_a_type(name, expected):
    assert split_name(name) == expected


def test_nesting_depth_counts_the_longest_path_without_recursion():
    assert nesting_depth("x") == 0
    assert nesting_depth({"a": [1, {"b": 2}]}) == 3
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert nesting_depth(deep) == 100_000
