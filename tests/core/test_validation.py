"""Each validation rule of the manifest, provider and credential forms, valid and invalid:
errors block a build, warnings never do."""

import pytest

from designer.core.errors import PluginSourceError
from designer.core.validation import load_spec, validate

from .factories import plugin_document
from .validation_checks import errors_at, warnings_at


class TestValidPlugin:
    def test_the_factory_plugin_has_no_findings(self):
        report = validate(plugin_document())
        assert report.ok
        assert report.findings == []

    def test_load_spec_returns_the_spec(self):
        spec = load_spec(plugin_document())
        assert spec.manifest.name == "demo"
        assert [m.model for m in spec.models] == ["demo-chat", "demo-embed"]

    def test_load_spec_refuses_with_the_first_error_and_a_count(self):
        document = plugin_document(name="Bad Name", version="1")
        with pytest.raises(PluginSourceError, match=r"^manifest\.version: .*\(and 1 more errors\)"):
            load_spec(document)


class TestStructure:
    def test_a_missing_field_is_reported_at_its_path(self):
        document = plugin_document()
        del document["manifest"]["author"]
        assert [f.message for f in errors_at(document, "manifest.author")] == ["is required"]

    def test_a_wrong_type_deep_in_a_model_names_the_field(self):
        document = plugin_document()
        document["models"][0]["parameter_rules"][2]["max"] = "lots"
        assert errors_at(document, "models[0].parameter_rules[2].max")

    def test_an_unknown_model_property_is_an_error(self):
        document = plugin_document()
        document["models"][0]["model_properties"]["context_sise"] = 10
        [finding] = errors_at(document, "models[0].model_properties.context_sise")
        assert "SDK refuses" in finding.message

    def test_unknown_keys_on_dify_objects_are_kept(self):
        document = plugin_document()
        document["models"][0]["icon"] = "custom.svg"
        document["models"][0]["pricing"]["tiered_pricing"] = [{"above": 1}]
        spec = load_spec(document)
        assert spec.models[0].model_extra == {"icon": "custom.svg"}
        assert spec.models[0].pricing.model_extra == {"tiered_pricing": [{"above": 1}]}

    def test_a_typo_in_the_designer_part_is_refused(self):
        document = plugin_document()
        document["code"]["api_stlye"] = "custom"
        assert errors_at(document, "code.api_stlye")

    def test_a_credential_default_must_be_text(self):
        document = plugin_document()
        fields = document["provider"]["provider_credential_schema"]["credential_form_schemas"]
        fields[0]["default"] = 4096
        path = "provider.provider_credential_schema.credential_form_schemas[0].default"
        assert errors_at(document, path)

    def test_a_price_must_be_a_decimal(self):
        document = plugin_document()
        document["models"][0]["pricing"]["input"] = "cheap"
        assert errors_at(document, "models[0].pricing.input")

    def test_a_carried_file_needs_text_or_base64(self):
        document = plugin_document()
        document["files"]["README.md"] = {}
        assert errors_at(document, 'files["README.md"]')


class TestManifest:
    @pytest.mark.parametrize("version", ["1", "1.0", "v1.0.0", "1.0.0.0", "12345.0.0", ""])
    def test_it_rejects_versions_dify_refuses(self, version):
        assert errors_at(plugin_document(version=version), "manifest.version")

    def test_it_warns_about_a_suffix_the_sdk_may_refuse(self):
        assert warnings_at(plugin_document(version="1.0.0-beta"), "manifest.version")

    @pytest.mark.parametrize("name", ["Demo", "demo plugin", "demo.ai", "", "x" * 129])
    def test_it_rejects_bad_plugin_names(self, name):
        assert errors_at(plugin_document(name=name), "manifest.name")

    @pytest.mark.parametrize("author", ["", "a b", "x" * 65, "acme!"])
    def test_it_rejects_bad_authors(self, author):
        assert errors_at(plugin_document(author=author), "manifest.author")

    def test_it_warns_that_the_author_is_lowercased(self):
        assert warnings_at(plugin_document(author="Acme"), "manifest.author")

    def test_it_warns_about_the_reserved_author(self):
        [finding] = warnings_at(plugin_document(author="langgenius"), "manifest.author")
        assert "reserved" in finding.message

    def test_it_requires_an_english_label(self):
        document = plugin_document(label={"zh_Hans": "演示"})
        assert errors_at(document, "manifest.label.en_US")

    def test_an_empty_translation_is_accepted_with_a_warning(self):
        # Dify's SDK accepts `zh_Hans:` with no value (official aihubmix and llama_api have it).
        document = plugin_document(label={"en_US": "Demo", "zh_Hans": None})
        report = validate(document)
        assert report.ok, report.errors
        assert [f.path for f in report.warnings] == ["manifest.label.zh_Hans"]
        assert report.spec.to_document()["manifest"]["label"] == {"en_US": "Demo", "zh_Hans": None}

    def test_an_empty_english_text_is_an_error_on_its_field(self):
        document = plugin_document(label={"en_US": None})
        assert errors_at(document, "manifest.label.en_US")

    def test_it_warns_about_languages_dify_drops(self):
        document = plugin_document(label={"en_US": "Demo", "fr_FR": "Démo"})
        assert warnings_at(document, "manifest.label.fr_FR")

    def test_it_rejects_texts_of_1024_characters(self):
        document = plugin_document(description={"en_US": "x" * 1024})
        assert errors_at(document, "manifest.description.en_US")

    def test_it_requires_the_icon_file(self):
        [finding] = errors_at(plugin_document(icon="missing.png"), "manifest.icon")
        assert "_assets/missing.png" in finding.message

    @pytest.mark.parametrize("stamp", ["2026-01-01", "2026-01-01 00:00:00", "yesterday"])
    def test_it_requires_an_rfc3339_created_at(self, stamp):
        assert errors_at(plugin_document(created_at=stamp), "manifest.created_at")

    def test_it_requires_positive_memory(self):
        document = plugin_document()
        document["manifest"]["resource"]["memory"] = 0
        assert errors_at(document, "manifest.resource.memory")

    def test_it_bounds_the_storage_size(self):
        document = plugin_document()
        document["manifest"]["resource"]["permission"]["storage"] = {"enabled": True, "size": 1}
        assert errors_at(document, "manifest.resource.permission.storage.size")

    def test_it_allows_one_model_provider_only(self):
        document = plugin_document(plugins={"models": ["provider/a.yaml", "provider/b.yaml"]})
        assert errors_at(document, "manifest.plugins.models")

    def test_it_refuses_tools_in_a_model_plugin(self):
        document = plugin_document(plugins={"models": ["provider/demo.yaml"], "tools": ["t.yaml"]})
        assert errors_at(document, "manifest.plugins.tools")

    def test_it_refuses_a_provider_path_outside_the_plugin(self):
        document = plugin_document(plugins={"models": ["../evil.yaml"]})
        assert errors_at(document, "manifest.plugins.models[0]")

    def test_it_refuses_unknown_architectures(self):
        document = plugin_document()
        document["manifest"]["meta"]["arch"] = ["x86"]
        assert errors_at(document, "manifest.meta.arch")

    def test_it_needs_a_file_for_another_entrypoint(self):
        document = plugin_document()
        document["manifest"]["meta"]["runner"]["entrypoint"] = "app"
        assert errors_at(document, "manifest.meta.runner.entrypoint")
        document["files"]["app.py"] = {"text": "print('hi')\n"}
        assert not errors_at(document, "manifest.meta.runner.entrypoint")

    def test_it_checks_the_minimum_dify_version(self):
        document = plugin_document()
        document["manifest"]["meta"]["minimum_dify_version"] = "latest"
        assert errors_at(document, "manifest.meta.minimum_dify_version")

    def test_it_refuses_tags_dify_does_not_have(self):
        document = plugin_document(tags=["utilities", "ai"])
        assert errors_at(document, "manifest.tags[1]")
        assert not errors_at(document, "manifest.tags[0]")

    def test_it_warns_about_a_repo_that_is_not_a_url(self):
        assert warnings_at(plugin_document(repo="github.com/acme"), "manifest.repo")


class TestProvider:
    def test_it_refuses_unknown_model_types(self):
        document = plugin_document()
        document["provider"]["supported_model_types"].append("text2img")
        assert errors_at(document, "provider.supported_model_types[2]")

    def test_it_needs_a_model_type(self):
        document = plugin_document(models=[])
        document["provider"]["supported_model_types"] = []
        assert errors_at(document, "provider.supported_model_types")

    def test_it_refuses_unknown_configurate_methods(self):
        document = plugin_document()
        document["provider"]["configurate_methods"] = ["fetch-from-remote"]
        assert errors_at(document, "provider.configurate_methods[0]")

    def test_customizable_models_with_hand_written_code_need_a_model_credential_form(self):
        document = plugin_document()
        document["provider"]["configurate_methods"].append("customizable-model")
        assert not errors_at(document, "provider.model_credential_schema")  # generated
        document["files"]["models/llm/llm.py"] = {"text": "# hand-written\n"}
        assert errors_at(document, "provider.model_credential_schema")

    def test_it_requires_provider_icon_files_for_every_language(self):
        document = plugin_document()
        document["provider"]["icon_large"]["zh_Hans"] = "icon_zh.svg"
        assert errors_at(document, "provider.icon_large.zh_Hans")

    def test_it_warns_about_a_bad_background(self):
        document = plugin_document()
        document["provider"]["background"] = "blue"
        assert warnings_at(document, "provider.background")

    def test_it_refuses_an_unsafe_provider_id(self):
        document = plugin_document()
        document["provider"]["provider"] = "../demo"
        assert errors_at(document, "provider.provider")


def credential_document(*fields):
    """The fields under test, then the API key the generated code sends (it calls the base URL)."""
    document = plugin_document()
    key = {"variable": "api_key", "label": {"en_US": "Key"}, "type": "secret-input"}
    schema = document["provider"]["provider_credential_schema"]
    schema["credential_form_schemas"] = [*fields, key]
    document["code"]["base_url"] = "https://api.example.com/v1"
    return document


def field(variable, type_="text-input", **extra):
    return {"variable": variable, "label": {"en_US": variable}, "type": type_, **extra}


FIELDS = "provider.provider_credential_schema.credential_form_schemas"


class TestCredentialForms:
    def test_it_refuses_unknown_field_types(self):
        assert errors_at(credential_document(field("a", "textarea")), f"{FIELDS}[0].type")

    def test_it_warns_about_a_select_without_options(self):
        assert warnings_at(credential_document(field("a", "select")), f"{FIELDS}[0].options")

    def test_it_warns_about_options_on_a_text_field(self):
        options = [{"value": "x", "label": {"en_US": "X"}}]
        document = credential_document(field("a", options=options))
        assert warnings_at(document, f"{FIELDS}[0].options")

    def test_it_warns_about_a_default_outside_the_options(self):
        options = [{"value": "chat", "label": {"en_US": "Chat"}}]
        document = credential_document(field("mode", "select", options=options, default="x"))
        assert warnings_at(document, f"{FIELDS}[0].default")

    def test_a_default_on_a_secret_field_is_an_error(self):
        # It would ship in the built provider YAML (issue 15).
        document = credential_document(field("api_key", "secret-input", default="sk-live-123"))
        [finding] = errors_at(document, f"{FIELDS}[0].default")
        assert "secret" in finding.message
        assert not errors_at(credential_document(field("api_key", "secret-input")), FIELDS)

    def test_a_default_on_a_text_field_is_fine(self):
        document = credential_document(field("base", default="https://api.example.com"))
        assert validate(document).findings == []

    def test_it_warns_about_a_repeated_variable(self):
        document = credential_document(field("key"), field("key"))
        assert warnings_at(document, f"{FIELDS}[1].variable")

    def test_a_repeated_variable_shown_on_different_model_types_is_fine(self):
        a = field("context_size", show_on=[{"variable": "__model_type", "value": "llm"}])
        b = field("context_size", show_on=[{"variable": "__model_type", "value": "rerank"}])
        assert validate(credential_document(a, b)).findings == []

    def test_it_warns_about_show_on_naming_a_missing_field(self):
        document = credential_document(field("a", show_on=[{"variable": "b", "value": "x"}]))
        assert warnings_at(document, f"{FIELDS}[0].show_on[0].variable")

    def test_show_on_an_existing_field_is_fine(self):
        document = credential_document(
            field("a"), field("b", show_on=[{"variable": "a", "value": "x"}])
        )
        assert validate(document).findings == []

    def test_it_warns_about_a_model_type_show_on_with_an_unknown_type(self):
        document = credential_document(
            field("a", show_on=[{"variable": "__model_type", "value": "chat"}])
        )
        assert warnings_at(document, f"{FIELDS}[0].show_on[0].value")

    def test_it_warns_about_option_show_on_naming_a_missing_field(self):
        options = [
            {"value": "x", "label": {"en_US": "X"}, "show_on": [{"variable": "z", "value": "1"}]}
        ]
        document = credential_document(field("a", "select", options=options))
        assert warnings_at(document, f"{FIELDS}[0].options[0].show_on[0].variable")

    def test_it_warns_about_more_fields_than_remote_debugging_takes(self):
        document = credential_document(*[field(f"f{i}") for i in range(33)])
        assert warnings_at(document, FIELDS)


def test_a_model_that_does_not_parse_leaves_the_rest_checked():
    """Issue 16: a price typed as "abc" on one model must not hide a bad plugin name, nor the
    other models' own findings."""
    document = plugin_document()
    document["manifest"]["name"] = "Acme AI!"
    document["models"][0]["pricing"] = {"input": "abc", "output": "1", "unit": "0.000001"}
    document["models"][1]["model_properties"]["context_size"] = -1
    report = validate(document)
    assert report.spec is None and not report.ok
    assert report.at("models[0].pricing.input")
    assert report.at("manifest.name")
    assert report.at("models[1].model_properties.context_size")
