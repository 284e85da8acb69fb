"""The plugin's own ``tests/`` (pytest): it loads in the SDK, every model's schema is valid, and
live calls run only when credentials are in the environment.

The SDK is used in a subprocess there too: importing it monkeypatches the process with gevent.
"""

import re
from collections.abc import Iterator
from string import Template

from ..spec import MODEL_TYPE_DIRS, DesignSpec
from .code import py_str
from .yaml_files import RenderedFile

TEST_PLUGIN = Template('''\
"""Offline checks of the plugin, and live calls when $key_env is set."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# [model, model type] of each predefined model; the model types that have code
MODELS = $models
TYPES = $types
LLM = next((model for model, model_type in MODELS if model_type == "llm"), None)
KEY_ENV = "$key_env"
URL_ENV = "$url_env"
CREDENTIALS = {
    "api_key": os.environ.get(KEY_ENV, ""),
    "endpoint_url": os.environ.get(URL_ENV, ""),
}
live = pytest.mark.skipif(not os.environ.get(KEY_ENV), reason=f"set {KEY_ENV} to call the API")


def in_sdk(body: str, tmp_path: Path):
    """Run `body` where the plugin is loaded as Dify loads it, in a fresh process; what it puts
    in `result`."""
    out = tmp_path / "result.json"
    prelude = textwrap.dedent(
        """
        import json, sys
        sys.path.insert(0, ".")
        from dify_plugin.config.config import DifyPluginEnv
        from dify_plugin.core.plugin_registration import PluginRegistration
        from dify_plugin.entities.model import ModelType

        registration = PluginRegistration(DifyPluginEnv())
        configuration, provider, factory = next(iter(registration.models_mapping.values()))
        """
    )
    script = prelude + textwrap.dedent(body) + f"\\njson.dump(result, open({str(out)!r}, 'w'))\\n"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """What the SDK reads: the models, the model types with code, each model's schema."""
    return in_sdk(
        """
        result = {
            "models": [[m.model, m.model_type.value] for m in configuration.models],
            "types": sorted(t.value for t in factory.models),
            "schemas": {},
        }
        for entity in configuration.models:
            schema = factory.get_instance(entity.model_type).get_model_schema(entity.model, {})
            key = entity.model_type.value + "/" + entity.model
            result["schemas"][key] = schema and schema.model_dump(mode="json")
        """,
        tmp_path_factory.mktemp("sdk"),
    )


def test_the_plugin_loads_with_every_model(loaded):
    assert sorted(loaded["models"]) == sorted(MODELS)
    assert loaded["types"] == TYPES


def check_rules(rules):
    names = [rule["name"] for rule in rules]
    assert len(names) == len(set(names)), f"a parameter rule is listed twice: {names}"
    for rule in rules:
        low, high, default = rule.get("min"), rule.get("max"), rule.get("default")
        if low is not None and high is not None:
            assert low <= high, rule
        if isinstance(default, int | float) and not isinstance(default, bool):
            assert low is None or default >= low, rule
            assert high is None or default <= high, rule


@pytest.mark.parametrize(("model", "model_type"), MODELS)
def test_each_models_schema_is_valid(loaded, model, model_type):
    schema = loaded["schemas"][f"{model_type}/{model}"]
    assert schema is not None, f"the SDK has no schema for {model}"
    assert (schema["model"], schema["model_type"]) == (model, model_type)
    properties = schema["model_properties"]
    if model_type == "llm":
        assert properties.get("mode") in ("chat", "completion"), properties
        assert int(properties.get("context_size", 0)) > 0, properties
    check_rules(schema["parameter_rules"])


@live
@pytest.mark.skipif(LLM is None, reason="no predefined llm")
def test_a_live_chat_answers(tmp_path):
    answer = in_sdk(
        f"""
        from dify_plugin.entities.model.message import UserPromptMessage
        llm = factory.get_instance(ModelType.LLM)
        chunks = llm.invoke({LLM!r}, {CREDENTIALS!r}, [UserPromptMessage(content="Say hi")],
                            {{}}, stream=True)
        result = "".join(str(c.delta.message.content or "") for c in chunks)
        """,
        tmp_path,
    )
    assert answer


@live
def test_live_credentials_pass_validation(tmp_path):
    in_sdk(f"provider.validate_provider_credentials({CREDENTIALS!r})\\nresult = True", tmp_path)
''')


def py_list(items: list[str]) -> str:
    """A list literal of Python expressions, one per line as ruff formats it."""
    if not items:
        return "[]"
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def env_prefix(spec: DesignSpec) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", spec.provider.provider).strip("_").upper() or "PLUGIN"


def plugin_test_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    prefix = env_prefix(spec)  # letters, digits and "_" only: safe as it is in the code
    types = sorted({t for t in spec.provider.supported_model_types if t in MODEL_TYPE_DIRS})
    source = TEST_PLUGIN.substitute(
        models=py_list([f"[{py_str(m.model)}, {py_str(m.model_type)}]" for m in spec.models]),
        key_env=f"{prefix}_API_KEY",
        url_env=f"{prefix}_ENDPOINT_URL",
        types=f"[{', '.join(py_str(t) for t in types)}]",
    )
    yield "tests/__init__.py", b""
    yield "tests/test_plugin.py", source.encode()
