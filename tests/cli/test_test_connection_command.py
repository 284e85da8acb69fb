"""manage.py test_connection as a person runs it, against the fake server."""

import json
import os
import subprocess
import sys

import pytest

from designer.core.outbound import ALLOWED_HOSTS_VARIABLE
from designer.core.specfile import write_spec
from designer.core.validation import validate
from tests.generated.fake_openai import GOOD_KEY, running_fake_openai
from tests.generated.plugins import plugin_document

from .test_commands import ROOT, assert_refused_with_one_line


@pytest.fixture(scope="module")
def fake():
    with running_fake_openai() as fake:
        yield fake


def manage(*args, allowed="127.0.0.1", stdin=None):
    env = {**os.environ, ALLOWED_HOSTS_VARIABLE: allowed}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "test_connection", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        input=stdin,
        timeout=240,
    )


@pytest.fixture(scope="module")
def spec(fake, tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "spec.yaml"
    write_spec(validate(plugin_document(base_url=fake.url)).spec, path)
    return path


def credentials(tmp_path, values) -> str:
    path = tmp_path / "credentials.json"
    path.write_text(json.dumps(values))
    return str(path)


def test_every_check_passes_one_line_each(spec, tmp_path):
    path = credentials(tmp_path, {"api_key": GOOD_KEY})
    result = manage(spec, "--credentials", path, "--model", "demo-chat", "--model", "demo-embed")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ok endpoint",
        "ok validate_credentials",
        "ok llm demo-chat stream",
        "ok llm demo-chat blocking",
        "ok text-embedding demo-embed",
    ]


def test_a_failing_check_exits_non_zero_and_says_why(spec):
    secret = "sk-never-printed-1234"
    result = manage(
        spec, "--credentials", "-", "--model", "demo-embed", stdin=json.dumps({"api_key": secret})
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[1].startswith("FAIL validate_credentials: authorization: ")
    assert lines[2].startswith("FAIL text-embedding demo-embed: authorization: ")
    assert secret not in result.stdout + result.stderr


def test_the_command_obeys_the_guard(spec, tmp_path):
    result = manage(spec, "--credentials", credentials(tmp_path, {"api_key": GOOD_KEY}), allowed="")
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL endpoint: refused: refused outbound call to 127.0.0.1")
    assert ALLOWED_HOSTS_VARIABLE in result.stdout


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{not json", "not JSON"), ('["a"]', "must be a JSON object")],
)
def test_bad_credentials_file_is_one_line(spec, tmp_path, content, fragment):
    path = tmp_path / "credentials.json"
    path.write_text(content)
    assert_refused_with_one_line(manage(spec, "--credentials", path), fragment)


def test_missing_files_and_unknown_models_are_one_line(spec, tmp_path):
    assert_refused_with_one_line(
        manage(spec, "--credentials", tmp_path / "none.json"), "cannot read"
    )
    path = credentials(tmp_path, {"api_key": GOOD_KEY})
    assert_refused_with_one_line(manage(tmp_path / "none.yaml", "--credentials", path))
    unknown = manage(spec, "--credentials", path, "--model", "nope")
    assert_refused_with_one_line(unknown, "no model 'nope' in the design")
    assert_refused_with_one_line(
        manage(spec, "--credentials", path, allowed="a b"), ALLOWED_HOSTS_VARIABLE
    )
