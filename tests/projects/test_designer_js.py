"""static/js/designer.js follows the field-path grammar of designer/core/fieldpath.py: run
under node on odd keys, it writes, reads and splits the same paths as the Python one."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from designer.core.fieldpath import PathError, format_path, parse_path, split_name
from designer.core.preview import is_within

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "designer.js"
# designer.js runs in a page; node gets the two objects it touches while loading.
RUNNER = """
const vm = require("vm");
const fs = require("fs");
const page = { addEventListener() {} };
const context = { window: page, document: page, JSON, Number, Error };
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), context);
const grammar = page.designerFieldPath;
const corpus = JSON.parse(fs.readFileSync(0, "utf8"));
const read = (text) => { try { return grammar.parsePath(text); } catch (error) { return null; } };
process.stdout.write(JSON.stringify({
  formatted: corpus.paths.map((parts) => grammar.formatPath(...parts)),
  parsed: corpus.texts.map(read),
  split: corpus.names.map(grammar.splitName),
  within: corpus.within.map(([path, prefix]) => grammar.isWithin(path, prefix)),
}));
"""

ODD_KEYS = [
    "plain",
    "a.b",
    "a[0]",
    "]",
    "[",
    '"',
    "'",
    "\\",
    'x"]["y',
    "",
    " ",
    "3",
    "007",
    "-1",
    "1e3",
    "中文",
    "ключ",
    "😀",
    "e\u0301",
    "\u2028",
    "\x00\x1f\x7f",
    "\ud800",
    "tab\tnew\nline",
    "a:int",
    "_origin",
    "__i__",
    "a-b",
    "$x",
]
PATHS = [[key] for key in ODD_KEYS] + [["models", 3, key, 0] for key in ODD_KEYS] + [[0], []]
BAD_TEXTS = [
    "a..b",
    ".a",
    "a.",
    "a[01]",
    "a[-1]",
    "a[x]",
    "a['x']",
    'a["x]',
    'a["\\q"]',
    'a["\\u12"]',
    'a["x"',
    "a b",
    "a[0]b",
    "1a",
    'a["\t"]',
]
NAMES = ["a.b:int", "a.b", 'a["x:int"]', 'a["x:y"]:number', "a:", "a:Int", 'a[":"]:lines']
WITHIN = [
    ("models[1].x", "models[1]"),
    ("models[10]", "models[1]"),
    ('models["a.b"].c', 'models["a.b"]'),
    ('models["a.b"]', "models"),
    ("modelsX", "models"),
]


def run_node(corpus: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install nodejs")
    result = subprocess.run(
        [node, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(corpus),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def python_read(text: str):
    try:
        return parse_path(text)
    except PathError:
        return None


def test_the_javascript_grammar_agrees_with_the_python_one():
    texts = [format_path(*parts) for parts in PATHS] + BAD_TEXTS
    corpus = {"paths": PATHS, "texts": texts, "names": NAMES, "within": WITHIN}
    javascript = run_node(corpus)
    assert javascript["formatted"] == texts[: len(PATHS)]
    assert javascript["parsed"] == [python_read(text) for text in texts]
    assert javascript["parsed"][: len(PATHS)] == PATHS  # and both round-trip
    assert javascript["split"] == [list(split_name(name)) for name in NAMES]
    assert javascript["within"] == [is_within(path, (prefix,)) for path, prefix in WITHIN]
    assert javascript["within"] == [True, False, True, True, False]
