"""The renderer: spec -> file tree, deterministic and in Dify's conventions."""

import ast
import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import designer.core
from designer.core.api_styles import API_STYLES, api_style
from designer.core.model_types import MODEL_TYPES
from designer.core.render import CONTRIBUTORS, render
from designer.core.render.template_files import code_template, template_names
from designer.core.spec import CarriedFile
from designer.core.validation import validate
from tests.core.factories import embedding_model, llm_model, plugin_document
from tests.generated.plugins import plugin_document as all_types_document


def rendered(document) -> dict[str, bytes]:
    report = validate(document)
    assert report.ok, report.errors
    return render(report.spec)


def loaded(files, path):
    return yaml.safe_load(files[path])


def test_the_same_spec_gives_the_same_bytes():
    assert rendered(plugin_document()) == rendered(plugin_document())


def test_a_spec_written_out_and_read_back_gives_the_same_bytes():
    spec = validate(plugin_document()).spec
    assert render(validate(spec.to_document()).spec) == render(spec)


def test_the_tree_is_sorted_by_path():
    files = rendered(plugin_document())
    assert list(files) == sorted(files)


def test_a_plugin_has_every_file_dify_and_the_runner_need():
    files = rendered(plugin_document())
    for path in [
        "manifest.yaml",
        "provider/demo.yaml",
        "provider/demo.py",
        "models/llm/llm.py",
        "models/llm/demo-chat.yaml",
        "models/text_embedding/demo-embed.yaml",
        "main.py",
        "requirements.txt",
        "_assets/icon.svg",
        "PRIVACY.md",
        "README.md",
    ]:
        assert path in files, path


def test_model_files_keep_difys_key_order():
    files = rendered(plugin_document())
    keys = list(loaded(files, "models/llm/demo-chat.yaml"))
    assert keys == [
        "model",
        "label",
        "model_type",
        "features",
        "model_properties",
        "parameter_rules",
        "pricing",
        "deprecated",
    ]


def test_prices_and_created_at_are_quoted_strings():
    files = rendered(plugin_document())
    text = files["models/llm/demo-chat.yaml"].decode()
    assert "input: '0.50'" in text
    assert "unit: '0.000001'" in text
    assert "created_at: '2026-01-01T00:00:00Z'" in files["manifest.yaml"].decode()


def test_float_prices_keep_their_shortest_decimal_form():
    document = plugin_document(models=[llm_model(pricing=None)])
    document["models"][0]["pricing"] = {"input": 0.2, "unit": 1e-06, "currency": "USD"}
    text = rendered(document)["models/llm/demo-chat.yaml"].decode()
    assert "input: '0.2'" in text
    assert "unit: '0.000001'" in text


def test_credential_required_is_always_written():
    document = plugin_document()
    fields = document["provider"]["provider_credential_schema"]["credential_form_schemas"]
    fields.append({"variable": "region", "label": {"en_US": "Region"}, "type": "text-input"})
    provider = loaded(rendered(document), "provider/demo.yaml")
    written = provider["provider_credential_schema"]["credential_form_schemas"]
    assert [field["required"] for field in written] == [True, False, False]


def test_positions_are_a_file_matched_by_the_glob_and_named_by_the_position_key():
    files = rendered(plugin_document(models=[llm_model("b"), llm_model("a")]))
    globs = loaded(files, "provider/demo.yaml")["models"]["llm"]
    assert globs == {"position": "models/llm/_position.yaml", "predefined": ["models/llm/*.yaml"]}
    assert loaded(files, "models/llm/_position.yaml") == ["b", "a"]


def test_model_ids_with_slashes_colons_spaces_and_repeats_get_distinct_safe_files():
    ids = ["org/model:v1", "org/model:v1", "my model", "../up"]
    files = rendered(plugin_document(models=[llm_model(i) for i in ids]))
    model_files = [p for p in files if p.startswith("models/llm/") and p.endswith(".yaml")]
    model_files.remove("models/llm/_position.yaml")
    assert len(model_files) == 4
    assert all(p.count("/") == 2 and ".." not in p for p in model_files)
    assert sorted(loaded(files, p)["model"] for p in model_files) == sorted(ids)


def test_a_model_keeps_the_path_it_was_given():
    model = llm_model(path="models/llm/custom-name.yaml")
    files = rendered(plugin_document(models=[model]))
    assert loaded(files, "models/llm/custom-name.yaml")["model"] == "demo-chat"


def test_designer_only_keys_never_reach_the_model_file():
    model = llm_model(path="models/llm/x.yaml", library="42")
    data = loaded(rendered(plugin_document(models=[model])), "models/llm/x.yaml")
    assert "path" not in data
    assert "library" not in data


def test_unknown_keys_are_written_where_they_were():
    model = llm_model(vendor_note="kept")
    model["model_properties"]["mode"] = "chat"
    document = plugin_document(models=[model], x_custom={"a": 1})
    files = rendered(document)
    assert loaded(files, "models/llm/demo-chat.yaml")["vendor_note"] == "kept"
    assert loaded(files, "manifest.yaml")["x_custom"] == {"a": 1}


def test_a_carried_file_wins_over_generated_boilerplate_but_not_over_yaml():
    spec = validate(plugin_document()).spec
    spec.files["README.md"] = CarriedFile(text="mine")
    spec.files["manifest.yaml"] = CarriedFile(text="not used")
    files = render(spec)
    assert files["README.md"] == b"mine"
    assert b"not used" not in files["manifest.yaml"]


def test_contributors_are_ordered_yaml_first():
    names = [contributor.__name__ for contributor, _ in CONTRIBUTORS]
    assert names[0] == "yaml_files"


user_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=user_text, description=user_text, model_id=st.text(min_size=1, max_size=30))
def test_any_text_survives_render_and_yaml_load(label, description, model_id):
    model = embedding_model(model_id.strip() or "m")
    model["label"] = {"en_US": label or "x"}
    document = plugin_document(models=[model])
    document["manifest"]["description"] = {"en_US": description or "x"}
    report = validate(copy.deepcopy(document))
    if not report.ok:
        return  # refused with a reason is fine; what renders must read back exactly
    files = render(report.spec)
    assert loaded(files, "manifest.yaml")["description"]["en_US"] == (description or "x")
    model_files = [
        p for p in files if p.startswith("models/text_embedding/") and p.endswith(".yaml")
    ]
    models = [loaded(files, p) for p in model_files if not p.endswith("_position.yaml")]
    assert [m["label"]["en_US"] for m in models] == [label or "x"]


CORE = Path(designer.core.__file__).resolve().parent


def test_no_core_module_compares_the_api_style_by_name():
    comparisons = re.compile(r"api_style\s*(==|!=)|(==|!=)\s*\S*api_style\b")
    offenders = [
        f"{path.relative_to(CORE)}:{number}"
        for path in sorted(CORE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if comparisons.search(line)
    ]
    assert offenders == []


def every_kind_of_plugin():
    """Both styles, every model type, with and without a model to check credentials with."""
    for style in API_STYLES:
        for models in (None, []):
            yield all_types_document(api_style=style, models=models)


def test_every_code_template_is_used_and_every_used_one_exists():
    code_template.cache_clear()
    for document in every_kind_of_plugin():
        rendered(document)
    assert code_template.cache_info().currsize == len(template_names())


def model_class_base(source: bytes) -> str:
    """``module.Class`` of the last base of the module's class (the SDK class it builds on)."""
    tree = ast.parse(source)
    base = next(node for node in tree.body if isinstance(node, ast.ClassDef)).bases[-1].id
    imported = {
        alias.name: node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    return f"{imported[base]}.{base}"


@pytest.mark.parametrize("style", API_STYLES)
def test_each_model_class_builds_on_the_sdk_class_the_type_table_names(style):
    files = rendered(all_types_document(api_style=style))
    for facts in MODEL_TYPES:
        expected = f"{facts.sdk_module}.{facts.sdk_class}"
        if api_style(style).code_templates == "openai_compatible":
            expected = facts.openai_compatible or expected
        source = files[f"models/{facts.directory}/{facts.directory}.py"]
        assert model_class_base(source) == expected, facts.directory
        assert f"class Demo{facts.sdk_class}(".encode() in source
