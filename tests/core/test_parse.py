"""The parser: a plugin folder, zip or .difypkg back to a spec, losslessly."""

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from designer.core.archive import read_plugin_source, zip_tree
from designer.core.errors import PluginSourceError
from designer.core.icons import clean_icon_files
from designer.core.parse import import_plugin, parse_tree
from designer.core.render import render
from designer.core.validation import validate
from tests.core.factories import (
    OFFICIAL_ENDPOINT_FIELDS,
    llm_model,
    plugin_document,
    with_generated_code,
)

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
PLUGINS = ["anthropic", "jina", "openai", "openai_api_compatible"]


def rendered(document) -> dict[str, bytes]:
    return render(validate(document).spec)


@pytest.mark.parametrize("name", PLUGINS)
def test_an_official_plugin_imports_as_a_valid_spec_once_its_left_out_code_is_added(name):
    spec = import_plugin(FIXTURES / name)
    # The fixtures leave their Python out: exactly the code pieces are missing.
    errors = {f.path for f in validate(spec).errors}
    assert errors == {"code.added.main", "code.added.provider_code", "code.added.model_code"}
    spec.code.added = ["main", "provider_code", "model_code"]
    if OFFICIAL_ENDPOINT_FIELDS[name]:
        # The generated code would call no endpoint: an imported plugin is warned (it still
        # builds as it came), and the fixture names its own field.
        report = validate(spec)
        assert report.ok, report.errors
        assert "code.endpoint_field" in {f.path for f in report.warnings}
    report = validate(with_generated_code(spec, name))
    assert report.ok, report.errors


@pytest.mark.parametrize("name", PLUGINS)
def test_every_file_of_an_unchanged_plugin_comes_back_byte_for_byte(name):
    source = read_plugin_source(FIXTURES / name)
    assert clean_icon_files(source) == source  # their icons hold nothing unsafe
    files = render(import_plugin(FIXTURES / name))
    for path, data in source.items():
        assert files.get(path) == data, path


def test_an_svg_icon_with_nothing_unsafe_comes_back_byte_for_byte():
    source = read_plugin_source(FIXTURES / "jina")
    files = render(import_plugin(FIXTURES / "jina"))
    assert files["_assets/icon_s_en.svg"] == source["_assets/icon_s_en.svg"]


@pytest.mark.parametrize("name", PLUGINS)
def test_reimporting_a_rendered_plugin_gives_the_same_spec(name):
    spec = import_plugin(FIXTURES / name)
    again = parse_tree(render(spec))
    assert again.manifest == spec.manifest
    assert again.provider == spec.provider
    assert again.models == spec.models
    assert again.positions == spec.positions


def test_a_changed_model_file_is_rendered_from_the_spec_and_the_rest_stay_as_written():
    spec = import_plugin(FIXTURES / "jina")
    source = read_plugin_source(FIXTURES / "jina")
    spec.models[0].deprecated = True
    files = render(spec)
    changed = spec.models[0].path
    assert files[changed] != source[changed]
    assert yaml.safe_load(files[changed])["deprecated"] is True
    unchanged = [p for p in source if p != changed]
    assert all(files[p] == source[p] for p in unchanged)


def test_model_files_keep_their_paths_and_ids_may_repeat_across_files():
    models = [
        llm_model("org/m:1", path="models/llm/first.yaml"),
        llm_model("org/m:1", path="models/llm/second one.yaml"),
    ]
    spec = parse_tree(rendered(plugin_document(models=models)))
    assert [(m.path, m.model) for m in spec.models] == [
        ("models/llm/first.yaml", "org/m:1"),
        ("models/llm/second one.yaml", "org/m:1"),
    ]


def test_unknown_keys_survive_the_round_trip():
    model = llm_model(vendor={"tier": 2})
    spec = parse_tree(rendered(plugin_document(models=[model], x_extra="kept")))
    document = spec.to_document()
    assert document["manifest"]["x_extra"] == "kept"
    assert document["models"][0]["vendor"] == {"tier": 2}


def test_positions_and_globs_are_kept_as_written():
    files = rendered(plugin_document(models=[llm_model("a"), llm_model("b")]))
    files["models/llm/_position.yaml"] = b"- b\n- a\n- not-here\n"
    provider = yaml.safe_load(files["provider/demo.yaml"])
    provider["models"]["llm"]["predefined"] = ["models/llm/a*.yaml", "models/llm/b*.yaml"]
    files["provider/demo.yaml"] = yaml.safe_dump(provider, sort_keys=False).encode()
    spec = parse_tree(files)
    assert spec.positions["llm"] == ["b", "a", "not-here"]
    assert spec.provider.models["llm"].predefined == ["models/llm/a*.yaml", "models/llm/b*.yaml"]
    assert render(spec)["models/llm/_position.yaml"] == b"- b\n- a\n- not-here\n"


def test_files_that_are_not_yaml_are_carried_byte_for_byte():
    files = rendered(plugin_document())
    files["_assets/data.bin"] = bytes(range(256))
    files["models/llm/llm.py"] = b"# my own code\n"
    again = render(parse_tree(files))
    assert again["_assets/data.bin"] == bytes(range(256))
    assert again["models/llm/llm.py"] == b"# my own code\n"


def test_a_zip_and_a_difypkg_import_like_the_folder(tmp_path):
    data = zip_tree(read_plugin_source(FIXTURES / "jina"))
    for name in ["jina.zip", "jina.difypkg"]:
        (tmp_path / name).write_bytes(data)
        spec = import_plugin(tmp_path / name)
        assert spec == import_plugin(FIXTURES / "jina")


def test_a_github_style_zip_with_one_top_folder_imports(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in read_plugin_source(FIXTURES / "jina").items():
            archive.writestr(f"jina-main/{path}", data)
    (tmp_path / "jina-main.zip").write_bytes(buffer.getvalue())
    assert len(import_plugin(tmp_path / "jina-main.zip").models) == 15


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"manifest.yaml": b"plugins:\n  models: [../../etc/provider.yaml]\n"}, "safe"),
        ({"manifest.yaml": b"plugins:\n  models: [/etc/provider.yaml]\n"}, "safe"),
        ({"manifest.yaml": b"!!python/object/apply:os.system ['true']\n"}, "manifest.yaml"),
        ({"manifest.yaml": b"- a list\n"}, "mapping"),
        ({"provider/demo.yaml": None}, "missing"),
    ],
)
def test_a_broken_or_hostile_plugin_is_refused_with_one_line(change, reason):
    files = rendered(plugin_document())
    for path, data in change.items():
        if data is None:
            del files[path]
        else:
            files[path] = data
    with pytest.raises(PluginSourceError) as refused:
        parse_tree(files)
    message = str(refused.value)
    assert reason in message
    assert "\n" not in message


def test_a_model_file_dify_would_refuse_names_its_file_and_field():
    files = rendered(plugin_document())
    files["models/llm/demo-chat.yaml"] = b"model: x\nmodel_type: llm\nmodel_properties: 3\n"
    with pytest.raises(PluginSourceError, match=r"models/llm/demo-chat\.yaml: .*model_properties"):
        parse_tree(files)
