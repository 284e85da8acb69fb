"""One budget per team for every run that calls its API: TRYOUT_RATE_LIMIT test connections,
discoveries and chats together per TRYOUT_RATE_WINDOW seconds, each kind refused alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from designer.accounts.models import Team
from designer.playground.models import Run
from designer.projects.models import Project
from designer.tryout.models import OutboundRun, TryoutRun
from designer.tryout.service import TooManyRuns, take_outbound_run
from tests.core.factories import llm_model, plugin_document

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
CREDENTIALS = {"credential-api_key": "k", "credential-endpoint_url": "https://api.example.com/v1"}
REFUSAL = "This team started 2 runs that call its API (test connection, discovery, chat) in 60 s"


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Demo", spec=plugin_document([llm_model()]))


def start_test_connection(client, project):
    return client.post(reverse("tryout:start", args=[project.pk]), CREDENTIALS, **HX)


def start_discovery(client, project):
    return client.post(reverse("playground:discover", args=[project.pk]), CREDENTIALS)


def start_chat(client, project):
    data = CREDENTIALS | {"message": "hello"}
    return client.post(reverse("playground:chat", args=[project.pk, 0]), data, **HX)


STARTS = {
    "test connection": start_test_connection,
    "discovery": start_discovery,
    "chat": start_chat,
}
STARTED = {"test connection": 200, "discovery": 302, "chat": 200}
REFUSED = {"test connection": 429, "discovery": 400, "chat": 200}  # chat: in the transcript


def runs() -> int:
    return TryoutRun.objects.count() + Run.objects.count()


@pytest.mark.parametrize("last", list(STARTS))
def test_the_other_kinds_spend_the_budget_of_each(client, editor, project, settings, last):
    settings.TRYOUT_RATE_LIMIT = 2
    client.force_login(editor)
    for kind in [k for k in STARTS if k != last]:
        assert STARTS[kind](client, project).status_code == STARTED[kind], kind
    refused = STARTS[last](client, project)
    assert refused.status_code == REFUSED[last]
    assert REFUSAL in refused.content.decode()
    assert runs() == 2


def test_each_team_has_its_own_budget(team, settings):
    settings.TRYOUT_RATE_LIMIT = 1
    take_outbound_run(team.pk)
    take_outbound_run(Team.objects.create(name="Other").pk)
    with pytest.raises(TooManyRuns) as refused:
        take_outbound_run(team.pk)
    assert 1 <= refused.value.retry_after <= 61


def test_a_run_older_than_the_window_no_longer_counts(team, settings):
    settings.TRYOUT_RATE_LIMIT = 1
    take_outbound_run(team.pk)
    OutboundRun.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    take_outbound_run(team.pk)
    assert OutboundRun.objects.count() == 1  # the old one is forgotten
