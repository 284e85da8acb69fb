"""Loading plugin trees with Dify's own SDK, in a subprocess."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from designer.core.archive import write_tree
from designer.core.sdk_check import (
    SdkLoad,
    load_dirs_with_sdk,
    load_tree_with_sdk,
    load_trees_with_sdk,
    sdk_python,
)

pytestmark = pytest.mark.sdk

ANTHROPIC = Path("/work/shared/fixtures/dify-official-plugins/anthropic")

MANIFEST = """\
version: 0.0.1
type: plugin
author: demo
name: demo
label:
  en_US: Demo
  zh_Hans: 演示
description:
  en_US: A demo model provider.
icon: icon.svg
created_at: '2026-01-01T00:00:00Z'
resource:
  memory: 268435456
  permission:
    model:
      enabled: true
      llm: true
plugins:
  models:
    - provider/demo.yaml
meta:
  version: 0.0.1
  arch: [amd64, arm64]
  runner:
    language: python
    version: '3.12'
    entrypoint: main
"""

PROVIDER_YAML = """\
provider: demo
label:
  en_US: Demo
  zh_Hans: 演示
icon_small:
  en_US: icon.svg
supported_model_types:
  - llm
configurate_methods:
  - predefined-model
provider_credential_schema:
  credential_form_schemas:
    - variable: api_key
      label:
        en_US: API Key
      type: secret-input
      required: true
models:
  llm:
    position: models/llm/_position.yaml
    predefined:
      - {glob}
extra:
  python:
    provider_source: provider/demo.py
    model_sources:
      - models/llm/llm.py
"""

MODEL_YAML = """\
model: demo-chat
label:
  en_US: Demo Chat
  zh_Hans: 演示对话
model_type: {model_type}
features: [tool-call]
model_properties:
  mode: chat
  context_size: 8192
parameter_rules:
  - name: temperature
    use_template: temperature
  - name: max_tokens
    use_template: max_tokens
    required: true
    default: 1024
    min: 1
    max: 4096
pricing:
  input: '3.00'
  output: '15.00'
  unit: '0.000001'
  currency: USD
"""

PROVIDER_PY = """\
from dify_plugin import ModelProvider


class {name}(ModelProvider):
    def validate_provider_credentials(self, credentials):
        pass
"""

# LargeLanguageModel's abstract methods: _invoke, get_num_tokens, validate_credentials and the
# _invoke_error_mapping property.
LLM_PY = """\
from dify_plugin import LargeLanguageModel


class DemoLargeLanguageModel(LargeLanguageModel):
    def _invoke(self, model, credentials, prompt_messages, model_parameters, tools=None,
                stop=None, stream=True, user=None):
        raise NotImplementedError

    def get_num_tokens(self, model, credentials, prompt_messages, tools=None):
        return 0

    def validate_credentials(self, model, credentials):
        pass

    @property
    def _invoke_error_mapping(self):
        return {}
"""

NO_MODEL_CLASS_PY = """\
def helper():
    return "no model class here"
"""

MAIN_PY = """\
from dify_plugin import DifyPluginEnv, Plugin

plugin = Plugin(DifyPluginEnv(MAX_REQUEST_TIMEOUT=120))

if __name__ == "__main__":
    plugin.run()
"""

ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"/>'


def demo_tree(
    *,
    model_type: str = "llm",
    llm_py: str = LLM_PY,
    provider_class: str = "DemoProvider",
    glob: str = "models/llm/*.yaml",
) -> dict[str, bytes]:
    """A minimal plugin with one provider and one predefined llm model."""
    texts = {
        "manifest.yaml": MANIFEST,
        "main.py": MAIN_PY,
        "provider/demo.yaml": PROVIDER_YAML.format(glob=glob),
        "provider/demo.py": PROVIDER_PY.format(name=provider_class),
        "models/llm/_position.yaml": "- demo-chat\n",
        "models/llm/demo-chat.yaml": MODEL_YAML.format(model_type=model_type),
        "models/llm/llm.py": llm_py,
        "_assets/icon.svg": ICON_SVG,
    }
    return {path: text.encode("utf-8") for path, text in texts.items()}


def rule_named(entity: dict, name: str) -> dict:
    return next(rule for rule in entity["parameter_rules"] if rule["name"] == name)


def assert_failed_with_one_line(load: SdkLoad, *fragments: str) -> None:
    assert load.ok is False
    assert load.error is not None
    assert "\n" not in load.error
    for fragment in fragments:
        assert fragment in load.error


def test_a_valid_tree_loads_and_reports_what_the_sdk_saw():
    load = load_tree_with_sdk(demo_tree())

    assert load.ok is True, load.error
    assert load.error is None
    assert load.manifest["name"] == "demo"
    assert load.manifest["label"]["zh_Hans"] == "演示"
    assert [provider["provider"] for provider in load.providers] == ["demo"]
    assert "models" not in load.providers[0]
    assert load.providers[0]["position"]["llm"] == ["demo-chat"]
    assert load.provider_class == "provider.demo.DemoProvider"
    assert load.model_classes == {"llm": "models.llm.llm.DemoLargeLanguageModel"}
    assert load.assets == ["icon.svg"]


def test_a_valid_tree_reports_the_model_entity_with_templates_expanded():
    load = load_tree_with_sdk(demo_tree())

    [model] = load.models
    assert (model["provider"], model["model_type"], model["model"]) == ("demo", "llm", "demo-chat")
    entity = model["entity"]
    assert entity["label"]["en_US"] == "Demo Chat"
    assert entity["label"]["zh_Hans"] == "演示对话"
    assert entity["model_properties"] == {"mode": "chat", "context_size": 8192}
    temperature = rule_named(entity, "temperature")
    assert temperature["label"]["zh_Hans"] == "温度"
    assert (temperature["type"], temperature["min"], temperature["max"]) == ("float", 0.0, 1.0)
    max_tokens = rule_named(entity, "max_tokens")
    assert (max_tokens["type"], max_tokens["default"], max_tokens["max"]) == ("int", 1024, 4096)
    assert entity["pricing"] == {
        "input": "3.00",
        "output": "15.00",
        "unit": "0.000001",
        "currency": "USD",
    }


def test_several_trees_in_one_call_give_one_report_each_in_order():
    trees = [demo_tree(), demo_tree(model_type="nonsense"), demo_tree()]

    loads = load_trees_with_sdk(trees)

    assert [load.ok for load in loads] == [True, False, True]


def test_a_model_file_with_an_unknown_model_type_fails_with_a_one_line_error():
    load = load_tree_with_sdk(demo_tree(model_type="nonsense"))

    assert_failed_with_one_line(load, "model_type", "nonsense")
    assert load.error.startswith("ValueError: Error loading plugin configuration")
    assert load.models == []


def test_a_tree_whose_llm_module_has_no_model_class_reports_the_missing_class():
    load = load_tree_with_sdk(demo_tree(llm_py=NO_MODEL_CLASS_PY))

    assert_failed_with_one_line(load, "no model class for model type llm")


def test_a_provider_glob_that_matches_nothing_loads_with_zero_models():
    load = load_tree_with_sdk(demo_tree(glob="models/llm/nothing-*.yaml"))

    assert load.ok is True, load.error
    assert load.models == []
    assert load.providers[0]["position"] is None
    assert load.model_classes == {"llm": "models.llm.llm.DemoLargeLanguageModel"}


def test_modules_from_one_tree_do_not_leak_into_the_next():
    # As a regular package, `provider` would stay in sys.modules pointing at the first tree.
    first = demo_tree(provider_class="FirstProvider") | {"provider/__init__.py": b""}
    second = demo_tree(provider_class="SecondProvider") | {"provider/__init__.py": b""}

    loads = load_trees_with_sdk([first, second])

    assert [load.provider_class for load in loads] == [
        "provider.demo.FirstProvider",
        "provider.demo.SecondProvider",
    ]


def test_a_runner_that_times_out_gives_a_failed_load_for_every_tree():
    loads = load_trees_with_sdk([demo_tree(), demo_tree()], timeout=0.01)

    assert len(loads) == 2
    for load in loads:
        assert_failed_with_one_line(load, "timed out")


def test_a_runner_that_crashes_gives_a_failed_load_for_every_tree(monkeypatch):
    monkeypatch.setenv("DIFY_SDK_PYTHON", shutil.which("false"))

    loads = load_trees_with_sdk([demo_tree(), demo_tree()])

    assert len(loads) == 2
    for load in loads:
        assert_failed_with_one_line(load, "exited with code 1")


def test_a_runner_that_dies_reports_the_end_of_its_stderr(monkeypatch, tmp_path):
    dying_python = tmp_path / "dying-python"
    dying_python.write_text("#!/bin/sh\necho 'Fatal Python error: boom' >&2\nexit 3\n")
    dying_python.chmod(0o755)
    monkeypatch.setenv("DIFY_SDK_PYTHON", str(dying_python))

    load = load_tree_with_sdk(demo_tree())

    assert_failed_with_one_line(load, "exited with code 3", "Fatal Python error: boom")


def test_a_runner_that_cannot_start_gives_a_failed_load(monkeypatch, tmp_path):
    monkeypatch.setenv("DIFY_SDK_PYTHON", str(tmp_path / "no-such-python"))

    load = load_tree_with_sdk(demo_tree())

    assert_failed_with_one_line(load, "could not start")


def test_sdk_python_is_taken_from_the_environment_when_set(monkeypatch):
    monkeypatch.setenv("DIFY_SDK_PYTHON", "/opt/sdk/bin/python")

    assert sdk_python() == "/opt/sdk/bin/python"


def test_no_folders_means_no_subprocess_and_no_loads(monkeypatch):
    monkeypatch.setenv("DIFY_SDK_PYTHON", "/no/such/python")

    assert load_dirs_with_sdk([]) == []
    assert load_trees_with_sdk([]) == []


def test_a_missing_folder_fails_without_spoiling_the_others(tmp_path):
    valid = tmp_path / "valid"
    write_tree(demo_tree(), valid)

    missing, loaded = load_dirs_with_sdk([tmp_path / "missing", valid])

    assert_failed_with_one_line(missing, "FileNotFoundError")
    assert loaded.ok is True, loaded.error


def test_loading_a_folder_leaves_no_bytecode_behind(tmp_path):
    write_tree(demo_tree(), tmp_path)

    [load] = load_dirs_with_sdk([tmp_path])

    assert load.ok is True, load.error
    assert list(tmp_path.rglob("__pycache__")) == []


def add_minimal_python_sources(plugin: Path, provider_yaml: str) -> None:
    """Write the provider and model classes where the provider YAML's extra.python says."""
    python = yaml.safe_load((plugin / provider_yaml).read_text(encoding="utf-8"))["extra"]["python"]
    (plugin / python["provider_source"]).write_text(PROVIDER_PY.format(name="AnthropicProvider"))
    for model_source in python["model_sources"]:
        (plugin / model_source).write_text(LLM_PY)


def test_the_official_anthropic_plugin_loads_its_21_models_with_parsed_pricing(tmp_path):
    plugin = tmp_path / "anthropic"
    shutil.copytree(ANTHROPIC, plugin)
    add_minimal_python_sources(plugin, "provider/anthropic.yaml")

    [load] = load_dirs_with_sdk([plugin])

    assert load.ok is True, load.error
    assert load.provider_class == "provider.anthropic.AnthropicProvider"
    assert load.model_classes == {"llm": "models.llm.llm.DemoLargeLanguageModel"}
    assert len(load.models) == 21
    assert {model["model_type"] for model in load.models} == {"llm"}
    pricing = {model["model"]: model["entity"]["pricing"] for model in load.models}
    assert pricing["claude-3-5-sonnet-20240620"] == {
        "input": "3.00",
        "output": "15.00",
        "unit": "0.000001",
        "currency": "USD",
    }
    assert all(price["unit"] == "0.000001" for price in pricing.values())
