"""A team loads a newer catalog (the catalog page, or manage.py load_catalog), and the library
lists the definitions that drifted from it, each updated in one click; on trimmed copies of
LiteLLM 1.109.1's and 1.110.2's real catalogs."""

import gzip
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from designer.library import catalogs
from designer.library.models import Catalog, LibraryModel
from designer.library.service import reference
from designer.projects.library_use import changed_since_last_build
from designer.projects.models import Project
from tests.builds.conftest import plugins_out  # noqa: F401  (artifacts in a temporary folder)
from tests.builds.factories import finished_build
from tests.core.factories import plugin_document

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "litellm"
OLD = DATA / "model_prices_trimmed_1.109.1.json"
NEW = DATA / "model_prices_trimmed.json"


def upload(client, path: Path, name=None, data=None):
    data = path.read_bytes() if data is None else data
    file = SimpleUploadedFile(name or path.name, data, content_type="application/json")
    return client.post(reverse("library:load_catalog"), {"catalog": file}, follow=True)


def test_an_editor_loads_a_catalog_and_imports_from_it(client, editor, team):
    client.force_login(editor)
    page = upload(client, NEW).content.decode()
    assert "Catalog model_prices_trimmed.json loaded: 16 entries." in page
    page = client.get(reverse("library:catalog"), {"q": "deepseek.v3.2"}).content.decode()
    assert "<strong>model_prices_trimmed.json</strong>" in page and "156000" in page
    assert "gpt-4o-mini" not in client.get(reverse("library:catalog")).content.decode()
    client.post(reverse("library:catalog"), {"key": ["xai/grok-4.5"]})
    item = LibraryModel.objects.get(team=team, model_id="grok-4.5")
    assert "input_cost_per_token_above_200k_tokens: 4 USD per 1M tokens" in item.notes
    assert (
        "input_cost_per_token_above_200k_tokens"
        in client.get(reverse("library:edit", args=[item.pk])).content.decode()
    )


def test_a_gzipped_catalog_loads_too(client, editor, team):
    client.force_login(editor)
    upload(client, NEW, "prices.json.gz", gzip.compress(NEW.read_bytes()))
    assert Catalog.objects.get(team=team).entries == 16


@pytest.mark.parametrize(
    "data, message",
    [
        (b"{not json", "the catalog is not valid JSON"),
        (b'{"m": {"mode": "image_generation"}}', "no entry of the catalog has a mode Dify"),
        (b"\x1f\x8b broken", "the catalog is not a readable gzip file"),
    ],
)
def test_a_broken_catalog_is_refused_with_its_reason(client, editor, team, data, message):
    client.force_login(editor)
    page = upload(client, NEW, "bad.json", data).content.decode()
    assert f"bad.json not loaded: {message}" in page
    assert not Catalog.objects.exists()


def test_a_viewer_cannot_load_a_catalog(client, viewer):
    client.force_login(viewer)
    assert upload(client, NEW).status_code == 403
    assert "Load catalog" not in client.get(reverse("library:catalog")).content.decode()


def test_another_teams_catalog_is_not_used(client, editor, outsider, team):
    catalogs.load_catalog(outsider.memberships.first().team, "theirs.json", NEW.read_bytes())
    client.force_login(editor)
    page = client.get(reverse("library:catalog")).content.decode()
    assert catalogs.SHIPPED_NAME in page


def test_the_command_loads_the_installations_catalog_or_a_teams(team, capsys):
    call_command("load_catalog", str(OLD))
    assert "loaded 4 entries from model_prices_trimmed_1.109.1.json for every team" in (
        capsys.readouterr().out
    )
    assert catalogs.catalog_name(team) == "model_prices_trimmed_1.109.1.json"
    call_command("load_catalog", str(NEW), "--team", team.name)
    assert catalogs.catalog_name(team) == "model_prices_trimmed.json"
    assert catalogs.catalog_name(None) == "model_prices_trimmed_1.109.1.json"


@pytest.mark.parametrize(
    "args, message",
    [
        (["/no/such.json"], "/no/such.json: no such file"),
        ([str(NEW), "--team", "Nobody"], "no team named 'Nobody'"),
        ([str(DATA / "README.md")], "README.md: the catalog is not valid JSON"),
    ],
)
def test_the_command_refuses_with_one_line(db, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("load_catalog", *args)
    assert "\n" not in str(refused.value)


@pytest.mark.usefixtures("plugins_out")
def test_drifted_definitions_are_listed_and_updated_in_one_click(client, editor, team):
    catalogs.load_catalog(team, "1.109.1.json", OLD.read_bytes())
    client.force_login(editor)
    keys = ["mistral/mistral-large-4", "deepseek.v3.2", "gpt-4o"]
    client.post(reverse("library:catalog"), {"key": keys})
    large = LibraryModel.objects.get(team=team, model_id="mistral-large-4")
    document = plugin_document()
    document["models"][0] = reference(large)
    project = Project.objects.create(team=team, name="Uses it", spec=document)
    finished_build(project)
    assert changed_since_last_build(project) == set()
    assert "agrees with it" in client.get(reverse("library:drift")).content.decode()

    catalogs.load_catalog(team, "1.110.2.json", NEW.read_bytes())
    page = client.get(reverse("library:drift")).content.decode()
    assert "llm mistral-large-4" in page and "pricing.input: 1.36 → 0.7" in page
    assert "context_size: 164000 → 156000" in page
    assert "gpt-4o" not in page  # only its deprecation notice changed

    url = reverse("library:drift_update", args=[large.pk])
    page = client.post(url, {"_version": large.version}, follow=True).content.decode()
    assert "mistral-large-4 updated as revision 2." in page
    large.refresh_from_db()
    assert large.definition["pricing"]["input"] == "0.7"
    assert large.revisions.first().note == "catalog: mistral/mistral-large-4"
    assert changed_since_last_build(project) == {str(large.pk)}
    assert "mistral-large-4" not in client.get(reverse("library:drift")).content.decode()


def test_a_stale_update_is_refused(client, editor, team):
    catalogs.load_catalog(team, "1.109.1.json", OLD.read_bytes())
    client.force_login(editor)
    client.post(reverse("library:catalog"), {"key": ["deepseek.v3.2"]})
    item = LibraryModel.objects.get(team=team, model_id="deepseek.v3.2")
    catalogs.load_catalog(team, "1.110.2.json", NEW.read_bytes())
    url = reverse("library:drift_update", args=[item.pk])
    page = client.post(url, {"_version": item.version - 1}, follow=True).content.decode()
    assert "someone saved it since" in page
    item.refresh_from_db()
    assert item.version == 1


def test_a_viewer_sees_drift_but_cannot_update(client, viewer, editor, team):
    catalogs.load_catalog(team, "1.109.1.json", OLD.read_bytes())
    client.force_login(editor)
    client.post(reverse("library:catalog"), {"key": ["deepseek.v3.2"]})
    item = LibraryModel.objects.get(team=team, model_id="deepseek.v3.2")
    catalogs.load_catalog(team, "1.110.2.json", NEW.read_bytes())
    client.force_login(viewer)
    page = client.get(reverse("library:drift")).content.decode()
    assert "deepseek.v3.2" in page and "Update from the catalog" not in page
    url = reverse("library:drift_update", args=[item.pk])
    assert client.post(url, {"_version": item.version}).status_code == 403
