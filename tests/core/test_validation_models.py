"""Each validation rule of models, parameter rules, pricing and files, valid and invalid."""

from designer.core.archive import write_tree
from designer.core.render import render
from designer.core.validation import load_spec, validate

from .factories import embedding_model, llm_model, plugin_document
from .validation_checks import errors_at, warnings_at


def model_document(**changes):
    return plugin_document(models=[llm_model(**changes)])


def rule_document(rule):
    model = llm_model()
    model["parameter_rules"] = [rule]
    return plugin_document(models=[model])


RULE = "models[0].parameter_rules[0]"


class TestModels:
    def test_it_requires_a_model_id(self):
        assert errors_at(model_document(model=" "), "models[0].model")

    def test_an_id_over_255_bytes_is_an_error_on_the_id(self):
        # 10,000 characters used to pass and end the build in "File name too long".
        assert errors_at(model_document(model="x" * 10_000), "models[0].model")
        assert errors_at(model_document(model="é" * 128), "models[0].model")  # 256 bytes
        assert not errors_at(model_document(model="x" * 250), "models[0].model")

    def test_an_id_whose_file_name_would_be_too_long_is_an_error_on_the_id(self):
        [finding] = errors_at(model_document(model="x" * 255), "models[0].model")
        assert "file" in finding.message
        long_id_own_file = model_document(model="x" * 255, path="models/llm/x.yaml")
        assert validate(long_id_own_file).errors == []

    def test_an_id_with_a_control_character_is_an_error(self):
        assert errors_at(model_document(model="a\x00b"), "models[0].model")

    def test_the_longest_id_builds(self, tmp_path):
        report = validate(model_document(model="x" * 250))
        assert report.ok, report.errors
        write_tree(render(report.spec), tmp_path)
        assert (tmp_path / "models/llm" / f"{'x' * 250}.yaml").exists()

    def test_a_model_file_name_over_255_bytes_is_an_error_on_the_path(self):
        document = model_document(path=f"models/llm/{'x' * 251}.yaml")
        assert errors_at(document, "models[0].path")

    def test_it_refuses_unknown_model_types(self):
        assert errors_at(model_document(model_type="image"), "models[0].model_type")

    def test_it_warns_about_a_model_type_the_provider_does_not_list(self):
        document = plugin_document(models=[llm_model(model_type="rerank", features=None)])
        document["models"][0]["model_properties"] = {"context_size": 4096}
        document["models"][0]["parameter_rules"] = []
        assert warnings_at(document, "models[0].model_type")

    def test_it_refuses_unknown_features(self):
        assert errors_at(model_document(features=["vision", "telepathy"]), "models[0].features[1]")

    def test_it_refuses_an_unknown_mode(self):
        document = model_document(model_properties={"mode": "edit", "context_size": 10})
        assert errors_at(document, "models[0].model_properties.mode")

    def test_it_warns_about_an_llm_without_mode_or_context_size(self):
        document = model_document(model_properties={})
        assert warnings_at(document, "models[0].model_properties.mode")
        assert warnings_at(document, "models[0].model_properties.context_size")

    def test_it_warns_about_duplicate_ids_of_one_type(self):
        document = plugin_document(models=[llm_model(), llm_model(path="models/llm/other.yaml")])
        assert warnings_at(document, "models[1].model")

    def test_the_same_id_in_two_types_is_fine(self):
        document = plugin_document(models=[llm_model("x"), embedding_model("x")])
        assert validate(document).findings == []

    def test_it_warns_about_a_default_voice_that_is_not_a_voice(self):
        document = plugin_document(models=[])
        document["provider"]["supported_model_types"] = ["tts"]
        document["models"] = [
            {
                "model": "speak",
                "model_type": "tts",
                "model_properties": {
                    "default_voice": "bob",
                    "voices": [{"mode": "alice", "name": "Alice", "language": ["en-US"]}],
                },
            }
        ]
        assert warnings_at(document, "models[0].model_properties.default_voice")


class TestParameterRules:
    def test_it_refuses_an_unknown_template(self):
        assert errors_at(
            rule_document({"name": "t", "use_template": "temp"}), f"{RULE}.use_template"
        )

    def test_a_rule_without_template_needs_a_type(self):
        assert errors_at(rule_document({"name": "seed"}), f"{RULE}.type")

    def test_a_rule_without_template_or_label_is_only_a_warning(self):
        # The SDK shows the name instead (official bedrock and modelscope have such rules).
        document = rule_document({"name": "seed", "type": "int"})
        [finding] = warnings_at(document, f"{RULE}.label")
        assert "'seed'" in finding.message
        assert validate(document).ok

    def test_it_refuses_an_unknown_type(self):
        document = rule_document({"name": "seed", "label": {"en_US": "S"}, "type": "integer"})
        assert errors_at(document, f"{RULE}.type")

    def test_a_rule_named_differently_from_its_template_is_fine(self):
        document = rule_document({"name": "max_output_tokens", "use_template": "max_tokens"})
        assert validate(document).findings == []

    def test_it_warns_about_max_tokens_above_the_context_size(self):
        document = rule_document({"name": "max_tokens", "use_template": "max_tokens", "max": 9000})
        [finding] = warnings_at(document, f"{RULE}.max")
        assert "context size 8192" in finding.message

    def test_the_template_max_counts_against_the_context_size(self):
        model = llm_model(context_size=1000)
        model["parameter_rules"] = [{"name": "max_tokens", "use_template": "max_tokens"}]
        assert warnings_at(plugin_document(models=[model]), f"{RULE}.max")

    def test_min_above_max_is_an_error_dify_refuses_every_value(self):
        rule = {"name": "n", "label": {"en_US": "N"}, "type": "int", "min": 5, "max": 1}
        assert errors_at(rule_document(rule), f"{RULE}.min")

    def test_a_default_outside_min_and_max_is_an_error_dify_refuses_it(self):
        rule = {"name": "temperature", "use_template": "temperature", "default": 1.5}
        [finding] = errors_at(rule_document(rule), f"{RULE}.default")
        assert "above max 1.0" in finding.message

    def test_it_warns_about_options_on_a_number_rule(self):
        rule = {"name": "n", "label": {"en_US": "N"}, "type": "int", "options": ["1", "2"]}
        assert warnings_at(rule_document(rule), f"{RULE}.options")

    def test_it_warns_about_a_default_outside_the_options(self):
        rule = {"name": "response_format", "use_template": "response_format", "default": "YAML"}
        assert warnings_at(rule_document(rule), f"{RULE}.default")

    def test_it_warns_about_repeated_rule_names(self):
        model = llm_model()
        model["parameter_rules"].append({"name": "temperature", "use_template": "temperature"})
        assert warnings_at(plugin_document(models=[model]), "models[0].parameter_rules[4].name")


class TestPricing:
    def pricing_document(self, **pricing):
        base = {"input": "0.50", "output": "1.50", "unit": "0.000001", "currency": "USD"}
        return model_document(pricing={**base, **pricing})

    def test_per_thousand_is_fine(self):
        assert validate(self.pricing_document(unit="0.001")).findings == []

    def test_it_warns_about_a_unit_that_is_not_per_1m_or_1k(self):
        [finding] = warnings_at(self.pricing_document(unit="0.0001"), "models[0].pricing.unit")
        assert "per 10,000 tokens" in finding.message

    def test_it_warns_about_a_zero_unit(self):
        assert warnings_at(self.pricing_document(unit="0"), "models[0].pricing.unit")

    def test_it_requires_a_currency(self):
        assert errors_at(self.pricing_document(currency=""), "models[0].pricing.currency")

    def test_it_warns_about_negative_prices(self):
        assert warnings_at(self.pricing_document(output="-1"), "models[0].pricing.output")

    def test_prices_keep_their_decimal_text(self):
        spec = load_spec(self.pricing_document(input="3.00"))
        assert str(spec.models[0].pricing.input) == "3.00"


class TestFilesAndLayout:
    def test_a_model_path_outside_the_globs_is_an_error(self):
        document = model_document(path="models/tts/demo.yaml")
        [finding] = errors_at(document, "models[0].path")
        assert "globs do not reach" in finding.message

    def test_a_model_path_must_be_safe(self):
        assert errors_at(model_document(path="../models/llm/x.yaml"), "models[0].path")

    def test_two_models_in_one_file_is_an_error(self):
        a = llm_model("a", path="models/llm/a.yaml")
        b = llm_model("b", path="models/llm/a.yaml")
        assert errors_at(plugin_document(models=[a, b]), "models[1].path")

    def test_derived_paths_never_collide(self):
        document = plugin_document(models=[llm_model("a/b"), llm_model("a:b")])
        assert validate(document).errors == []

    def test_a_carried_file_cannot_replace_a_spec_file(self):
        document = plugin_document()
        document["files"]["manifest.yaml"] = {"text": "name: x\n"}
        assert errors_at(document, 'files["manifest.yaml"]')

    def test_a_carried_yaml_file_the_sdk_would_load_as_a_model_is_an_error(self):
        document = plugin_document()
        document["files"]["models/llm/notes.yaml"] = {"text": "a: 1\n"}
        assert errors_at(document, 'files["models/llm/notes.yaml"]')

    def test_a_carried_file_outside_the_plugin_is_an_error(self):
        document = plugin_document()
        document["files"]["../../etc/passwd"] = {"text": "x"}
        assert errors_at(document, 'files["../../etc/passwd"]')

    def test_positions_naming_a_missing_model_warn(self):
        document = plugin_document(models=[llm_model("a")])
        document["positions"] = {"llm": ["a", "gone"]}
        assert warnings_at(document, "positions.llm[1]")

    def test_hand_written_code_for_an_unknown_folder_is_accepted(self):
        document = plugin_document()
        document["provider"]["extra"] = {
            "python": {"provider_source": "provider/demo.py", "model_sources": ["src/models.py"]}
        }
        document["files"]["src/models.py"] = {"text": "pass\n"}
        assert validate(document).errors == []

    def test_a_model_source_that_cannot_be_generated_is_an_error(self):
        document = plugin_document()
        document["provider"]["extra"] = {
            "python": {"provider_source": "provider/demo.py", "model_sources": ["src/models.py"]}
        }
        assert errors_at(document, "provider.extra.python.model_sources[0]")
