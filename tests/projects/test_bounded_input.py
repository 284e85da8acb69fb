"""Hostile autosaves are refused before any work with a 400 and a plain message, and nothing
is saved: list indices past a list's end, names nesting too deep, too many fields, a body too
big. A project keeps opening afterwards."""

import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from designer.core.fieldpath import MAX_DEPTH, MAX_FIELDS, MAX_INDEX, MAX_LENGTH

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"
TOKEN = "t" * 32  # a CSRF secret the middleware accepts as cookie and header alike


def post(client, project, pairs, section="plugin"):
    url = reverse("projects:save", args=[project.pk, section])
    body = urlencode([("_version", project.version), *pairs])
    return client.post(url, body, content_type=FORM, headers={"X-CSRFToken": TOKEN})


@pytest.fixture
def browser_client(editor):
    """A client that checks CSRF as a browser's requests are checked: the middleware reads
    the form before any view does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.cookies["csrftoken"] = TOKEN
    return client


def assert_refused(response, project, message):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()
    spec, version = project.spec, project.version
    project.refresh_from_db()
    assert (project.spec, project.version) == (spec, version)  # nothing saved


def assert_project_opens(client, project):
    for name in ("projects:plugin", "projects:review", "projects:download_tree"):
        assert client.get(reverse(name, args=[project.pk])).status_code in (200, 302)


def with_tags(project, tags):
    project.spec["manifest"]["tags"] = tags
    project.save()
    return len(tags)


def test_an_index_past_the_end_of_a_list_is_refused(browser_client, project):
    tags = with_tags(project, ["search", "image"])
    response = post(browser_client, project, [(f"manifest.tags[{tags + 1}]", "rag")])
    assert_refused(response, project, f"manifest.tags[{tags + 1}] is past the end of its list")


def test_an_index_at_the_end_appends(browser_client, project):
    tags = with_tags(project, ["search", "image"])
    assert post(browser_client, project, [(f"manifest.tags[{tags}]", "rag")]).status_code == 200
    project.refresh_from_db()
    assert project.spec["manifest"]["tags"][-1] == "rag"


def test_a_huge_index_is_refused_at_once(browser_client, project):
    started = time.perf_counter()
    response = post(browser_client, project, [("manifest.x[300000]", "y")])
    assert time.perf_counter() - started < 1
    assert_refused(response, project, f"list index 300000 is over {MAX_INDEX}")
    assert "manifest.x[300000]" in response.content.decode()


@pytest.mark.parametrize(
    ("depth", "reason"),
    [
        (MAX_DEPTH + 8, f"nests deeper than {MAX_DEPTH} levels"),
        (500, f"longer than {MAX_LENGTH} characters"),
        (900, f"longer than {MAX_LENGTH} characters"),
    ],
)
def test_a_name_nesting_too_deep_is_refused_and_the_project_still_opens(
    browser_client, project, depth, reason
):
    started = time.perf_counter()
    response = post(browser_client, project, [("manifest" + ".a" * depth + ".b", "x")])
    assert time.perf_counter() - started < 1
    assert_refused(response, project, f"is not a field name: {reason}")
    assert_project_opens(browser_client, project)


def test_a_name_that_is_not_a_path_is_refused(browser_client, project):
    response = post(browser_client, project, [("manifest..label", "x")])
    assert_refused(response, project, "“manifest..label” is not a field name: unexpected '.'")


def test_too_many_fields_are_refused_before_they_are_read(browser_client, project):
    pairs = [(f"manifest.x{i}", "y") for i in range(MAX_FIELDS)]
    response = post(browser_client, project, pairs)
    assert_refused(response, project, f"Bad request: the form sent more than {MAX_FIELDS} fields")


def test_a_body_too_big_is_refused_before_it_is_read(browser_client, project):
    response = post(browser_client, project, [("manifest.description", "x" * 2 * 2**20)])
    assert_refused(response, project, "Bad request: the form's data is over 2 MB")


def test_a_number_too_long_for_python_is_kept_as_typed(client, editor, project):
    client.force_login(editor)
    digits = "9" * 5000
    url = reverse("projects:save_model", args=[project.pk, 0])
    body = urlencode(
        [
            ("_version", 1),
            ("models[0].model_properties.context_size:int", digits),
            ("models[0].parameter_rules[0].max:number", "1e999"),
        ]
    )
    assert client.post(url, body, content_type=FORM).status_code == 200
    project.refresh_from_db()
    model = project.spec["models"][0]
    assert model["model_properties"]["context_size"] == digits
    assert model["parameter_rules"][0]["max"] == "1e999"
    assert_project_opens(client, project)
