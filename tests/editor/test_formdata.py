import pytest
from django.http import QueryDict

from designer.core.fieldpath import MAX_FIELDS, parse_path
from designer.editor.formdata import FormError, apply_form
from tests.core.factories import plugin_document

ALL = ("manifest", "provider", "models", "code")


def form(pairs) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    return data


def test_paths_parse_into_keys_and_indexes():
    assert parse_path("models[3].parameter_rules[1].max") == [
        "models",
        3,
        "parameter_rules",
        1,
        "max",
    ]


def test_values_are_set_by_path_with_their_types():
    document = apply_form(
        plugin_document(),
        form(
            [
                ("manifest.label.zh_Hans", "演示"),
                ("models[0].model_properties.context_size:int", "4096"),
                ("models[0].parameter_rules[2].max:number", "2.5"),
                ("models[0].deprecated:bool", "false"),
                ("models[0].deprecated:bool", "true"),
                ("models[0].features:list", ""),
                ("models[0].features:list", "vision"),
            ]
        ),
        ALL,
    )
    assert document["manifest"]["label"]["zh_Hans"] == "演示"
    model = document["models"][0]
    assert model["model_properties"]["context_size"] == 4096
    assert model["parameter_rules"][2]["max"] == 2.5
    assert model["deprecated"] is True
    assert model["features"] == ["vision"]


def test_a_value_that_does_not_convert_is_kept_as_typed():
    document = apply_form(
        plugin_document(), form([("models[0].model_properties.context_size:int", "8k")]), ALL
    )
    assert document["models"][0]["model_properties"]["context_size"] == "8k"


def test_an_emptied_field_is_removed_with_the_dicts_it_leaves_empty():
    document = plugin_document()
    document["manifest"]["repo"] = "https://example.com"
    document = apply_form(
        document, form([("manifest.repo", ""), ("manifest.label.pt_BR", "")]), ALL
    )
    assert "repo" not in document["manifest"]
    assert document["manifest"]["label"] == {"en_US": "Demo AI"}


def test_rows_can_be_reordered_removed_and_added_keeping_unknown_keys():
    document = plugin_document()
    rules = document["models"][0]["parameter_rules"]
    rules[0]["x_vendor"] = "kept"
    owned = "models[0].parameter_rules"
    data = form(
        [
            ("_lists", owned),
            (f"{owned}[0]._origin", "3"),
            (f"{owned}[0].name", "seed"),
            (f"{owned}[1]._origin", "0"),
            (f"{owned}[1].name", "temperature"),
            (f"{owned}[5]._origin", ""),
            (f"{owned}[5].name", "top_k"),
            (f"{owned}[5].use_template", "top_k"),
        ]
    )
    result = apply_form(document, data, ALL)
    names = [rule["name"] for rule in result["models"][0]["parameter_rules"]]
    assert names == ["seed", "temperature", "top_k"]
    assert result["models"][0]["parameter_rules"][1]["x_vendor"] == "kept"
    assert result["models"][0]["parameter_rules"][0]["type"] == "int"


def test_an_owned_list_with_no_rows_becomes_empty():
    result = apply_form(plugin_document(), form([("_lists", "models[0].parameter_rules")]), ALL)
    assert result["models"][0]["parameter_rules"] == []


@pytest.mark.parametrize("name", ["files._assets/x.svg.text", "originals.x.text", "code.api_style"])
def test_paths_outside_the_section_are_ignored(name):
    document = plugin_document()
    assert apply_form(document, form([(name, "evil")]), ("manifest",)) == document


def test_the_original_document_is_not_changed():
    document = plugin_document()
    apply_form(document, form([("manifest.name", "other")]), ALL)
    assert document["manifest"]["name"] == "demo"


def test_a_rule_left_to_its_template_gets_no_required_and_no_empty_options():
    rule = "models[0].parameter_rules[0]"
    document = apply_form(
        plugin_document(),
        form([(f"{rule}.required:tristate", ""), (f"{rule}.options:lines", "")]),
        ALL,
    )
    assert document["models"][0]["parameter_rules"][0] == {
        "name": "temperature",
        "use_template": "temperature",
    }


@pytest.mark.parametrize(("posted", "expected"), [("true", True), ("false", False)])
def test_a_tristate_sets_yes_or_no(posted, expected):
    path = "models[0].parameter_rules[0].required"
    document = apply_form(plugin_document(), form([(f"{path}:tristate", posted)]), ALL)
    assert document["models"][0]["parameter_rules"][0]["required"] is expected


def test_a_key_that_is_not_an_identifier_is_set_by_its_quoted_name():
    document = apply_form(
        plugin_document(), form([('manifest.label["x.y"]', "a"), ('manifest["3"]:int', "3")]), ALL
    )
    assert document["manifest"]["label"]["x.y"] == "a"
    assert document["manifest"]["3"] == 3


def test_fixed_slots_may_be_named_in_any_order_on_an_empty_list():
    row = "provider.provider_credential_schema.credential_form_schemas[0]"
    data = form([(f"{row}.options[2].value", "c"), (f"{row}.options[1].value", "")])
    data.appendlist(f"{row}.options[0].value", "a")
    document = apply_form(plugin_document(), data, ALL)
    values = [o["value"] for o in get_options(document)]
    assert values == ["a", "c"]  # the blank slot leaves no empty item


def get_options(document):
    return document["provider"]["provider_credential_schema"]["credential_form_schemas"][0][
        "options"
    ]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            [("manifest.tags[1]", "x")],
            r"manifest.tags\[1\] is past the end of its list \(0 items\)",
        ),
        ([("models[3].model", "x")], r"models\[3\] is past the end of its list \(2 items\)"),
        ([("manifest.a[0]", "x"), ("manifest.a[2]", "x")], r"manifest.a\[2\] is past the end"),
        ([("_lists", "models[0].parameter_rules]")], "is not a field name"),
        ([("models[0].parameter_rules[3]._origin", "0"), ("manifest.x]", "")], "unexpected"),
        ([(f"manifest.x{i}", "") for i in range(MAX_FIELDS + 1)], "at most 5000 are taken"),
    ],
)
def test_a_post_that_would_grow_or_break_the_document_is_refused(pairs, message):
    document = plugin_document()
    with pytest.raises(FormError, match=message):
        apply_form(document, form(pairs), ALL)
    assert document == plugin_document()


def test_rows_numbered_with_gaps_are_renumbered_not_refused():
    owned = "models[0].parameter_rules"
    data = form([("_lists", owned), (f"{owned}[70]._origin", "0"), (f"{owned}[90].name", "seed")])
    rules = apply_form(plugin_document(), data, ALL)["models"][0]["parameter_rules"]
    assert [rule["name"] for rule in rules] == ["temperature", "seed"]


def test_a_row_origin_that_is_not_a_small_number_starts_an_empty_row():
    owned = "models[0].parameter_rules"
    data = form([("_lists", owned), (f"{owned}[0]._origin", "9" * 5000)])
    assert apply_form(plugin_document(), data, ALL)["models"][0]["parameter_rules"] == [{}]


def test_optional_picks_with_none_ticked_leave_the_key_out():
    """The manifest's tags: ticked ones are a list, none ticked is no ``tags`` at all."""
    ticked = form([("manifest.tags:picks", ""), ("manifest.tags:picks", "utilities")])
    assert apply_form(plugin_document(), ticked, ALL)["manifest"]["tags"] == ["utilities"]
    none = apply_form(plugin_document(tags=["news"]), form([("manifest.tags:picks", "")]), ALL)
    assert "tags" not in none["manifest"]
