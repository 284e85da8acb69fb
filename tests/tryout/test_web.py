"""Test connection on the Provider and model pages, run by a real worker against the fake
server; the typed credentials appear in no response, no table, no log."""

import logging
import re
import time
from pathlib import Path

import pytest

from designer.tryout.models import Status, TryoutRun
from designer.tryout.service import seal, unseal
from tests.builds.conftest import broker_in
from tests.generated.fake_openai import GOOD_KEY

from .conftest import database_dump

WRONG_KEY = "sk-wrong-but-secret-42"
HX = {"HTTP_HX_REQUEST": "true"}


def poll(client, run: TryoutRun, responses: list, timeout: float = 180) -> str:
    """Follow the run as the page does (every second, here faster) until it stops polling."""
    url = f"/test-connection/{run.pk}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url, **HX)
        responses.append(response)
        html = response.content.decode()
        if "every 1s" not in html:
            return html
        time.sleep(0.3)
    raise AssertionError(f"the run stayed {TryoutRun.objects.get(pk=run.pk).status}")


def run_from_page(client, project, credentials: dict, responses: list, model: str = "") -> str:
    data = {f"credential-{name}": value for name, value in credentials.items()}
    if model:
        data["model"] = model
    response = client.post(f"/projects/{project.pk}/test-connection/run/", data, **HX)
    responses.append(response)
    assert response.status_code == 200, response.content
    run = TryoutRun.objects.order_by("-created_at").first()
    return poll(client, run, responses)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_run_from_the_provider_page_shows_each_check_and_keeps_no_credential(
    client, editor, calling_project, allowed_worker, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(editor)
    responses = [client.get(f"/projects/{calling_project.pk}/provider/")]
    assert (
        f'hx-get="/projects/{calling_project.pk}/test-connection/"' in responses[0].content.decode()
    )
    form = client.get(f"/projects/{calling_project.pk}/test-connection/", **HX)
    responses.append(form)
    assert re.search(
        r'<input type="password" id="tryout-api_key" name="credential-api_key"',
        form.content.decode(),
    )

    html = run_from_page(client, calling_project, {"api_key": GOOD_KEY}, responses)
    assert "every check passed" in html
    for name in [
        "validate_credentials",
        "llm demo-chat stream",
        "text-embedding demo-embed",
        "tts demo-voice",
    ]:
        assert f"<code>{name}</code>" in html
    assert "USD" in html and " ms<" in html

    html = run_from_page(client, calling_project, {"api_key": WRONG_KEY}, responses, "demo-embed")
    assert "some checks failed" in html and "(authorization)" in html
    assert "Incorrect API key provided: ***" in html
    assert TryoutRun.objects.filter(status=Status.DONE).count() == 2

    worker_log = Path(allowed_worker.log.name).read_text()
    assert "run_tryout" in worker_log  # the log is the worker's, and it ran the runs
    for secret in (GOOD_KEY, WRONG_KEY):
        assert all(secret.encode() not in r.content for r in responses)
        assert secret not in database_dump()
        assert secret not in caplog.text
        assert secret not in worker_log


@pytest.mark.django_db(transaction=True)
def test_the_task_message_carries_the_credentials_sealed(editor, calling_project, tmp_path):
    from designer.tryout.service import start_run

    # A broker folder no worker reads (a session's worker may serve the shared one): the
    # message waits there.
    with broker_in(tmp_path / "broker") as broker:
        start_run(calling_project, editor, {"api_key": WRONG_KEY})
        messages = [p.read_bytes() for p in broker.rglob("*") if p.is_file()]
    assert messages and any(b"run_tryout" in m for m in messages)
    assert all(WRONG_KEY.encode() not in m for m in messages)
    assert unseal(seal({"api_key": WRONG_KEY})) == {"api_key": WRONG_KEY}


def test_the_model_page_offers_a_test_of_that_model(client, editor, calling_project):
    client.force_login(editor)
    page = client.get(f"/projects/{calling_project.pk}/models/2/").content.decode()
    assert f"/projects/{calling_project.pk}/test-connection/?model=demo-embed" in page
    form = client.get(f"/projects/{calling_project.pk}/test-connection/?model=demo-embed", **HX)
    assert 'name="model" value="demo-embed"' in form.content.decode()


def test_a_viewer_may_look_but_not_run(client, viewer, calling_project):
    client.force_login(viewer)
    form = client.get(f"/projects/{calling_project.pk}/test-connection/").content.decode()
    assert "only reads" in form and "test-connection/run/" not in form
    response = client.post(f"/projects/{calling_project.pk}/test-connection/run/", {})
    assert response.status_code == 403


def test_an_outsider_sees_nothing(client, outsider, calling_project):
    client.force_login(outsider)
    assert client.get(f"/projects/{calling_project.pk}/test-connection/").status_code == 404


def test_the_team_is_rate_limited(client, editor, calling_project, settings):
    settings.TRYOUT_RATE_LIMIT = 2
    client.force_login(editor)
    url = f"/projects/{calling_project.pk}/test-connection/run/"
    for _ in range(2):
        assert client.post(url, {"credential-api_key": GOOD_KEY}, **HX).status_code == 200
    refused = client.post(url, {"credential-api_key": GOOD_KEY}, **HX)
    assert refused.status_code == 429
    assert "started 2 runs that call its API" in refused.content.decode()
    assert TryoutRun.objects.count() == 2


def test_a_run_takes_only_the_fields_the_design_asks_for_stripped(calling_project):
    from django.http import QueryDict

    from designer.builds.service import snapshot_for
    from designer.tryout.service import credential_fields, posted_credentials

    fields = credential_fields(snapshot_for(calling_project))
    assert "api_key" in {f.variable for f in fields}
    posted = QueryDict(mutable=True)
    posted.update({"credential-api_key": f"  {GOOD_KEY}\n", "credential-not_asked": "x"})
    assert posted_credentials(posted, fields) == {"api_key": GOOD_KEY}
