import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from designer.accounts.models import Membership
from designer.api.models import ApiToken
from designer.api.tokens import create_token, revoke
from tests.api.conftest import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


def test_only_the_sha256_of_the_secret_is_stored(editor, team):
    token, secret = create_token(editor, team, "ci")
    assert secret.startswith("dpd_") and len(secret) > 40
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored)
    assert stored["prefix"] == secret[:10]


def test_a_token_works_until_it_is_revoked(editor, team):
    token, secret = create_token(editor, team, "ci")
    api = ApiClient(secret)
    assert api.get("/projects").status_code == 200
    revoke(token)
    assert_problem(api.get("/projects"), 401)


def test_a_token_shows_its_last_use(editor, team):
    token, secret = create_token(editor, team, "ci")
    assert token.last_used_at is None
    ApiClient(secret).get("/projects")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_anonymous_and_wrong_tokens_get_401_as_problem_details(anonymous, editor, team):
    body = assert_problem(anonymous.get("/projects"), 401)
    assert "Bearer" in body["detail"]
    assert_problem(ApiClient("dpd_not-a-token").get("/projects"), 401)
    assert anonymous.get("/projects")["WWW-Authenticate"].startswith("Bearer")


def test_a_member_who_left_the_team_loses_access(editor, team):
    _, secret = create_token(editor, team, "ci")
    Membership.objects.filter(user=editor, team=team).delete()
    assert_problem(ApiClient(secret).get("/projects"), 401)


def test_a_token_acts_with_the_current_role(editor, team):
    _, secret = create_token(editor, team, "ci")
    Membership.objects.filter(user=editor, team=team).update(role="viewer")
    assert_problem(ApiClient(secret).post_json("/library", {}), 403)


def test_too_many_requests_from_one_token_get_429(settings, editor, team, viewer):
    settings.API_RATE_LIMIT = 3
    _, secret = create_token(editor, team, "ci")
    api = ApiClient(secret)
    assert [api.get("/projects").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/projects")
    assert_problem(response, 429)
    assert response["Retry-After"] == str(settings.API_RATE_WINDOW)
    _, other = create_token(viewer, team, "other")
    assert ApiClient(other).get("/projects").status_code == 200  # counted per token


def test_the_window_starts_again_after_its_seconds(settings, editor, team):
    settings.API_RATE_LIMIT = 1
    token, secret = create_token(editor, team, "ci")
    api = ApiClient(secret)
    assert api.get("/projects").status_code == 200
    assert api.get("/projects").status_code == 429
    ApiToken.objects.filter(pk=token.pk).update(window_start="2000-01-01T00:00:00Z")
    assert api.get("/projects").status_code == 200


def test_the_command_prints_a_working_token_once(editor, team, capsys):
    call_command("create_api_token", editor.username, "--team", team.name)
    secret = capsys.readouterr().out.strip()
    assert ApiClient(secret).get("/projects").status_code == 200
    assert ApiToken.objects.get().user == editor


@pytest.mark.parametrize(
    "args, message",
    [(["nobody", "--team", "Acme"], "no user"), (["{user}", "--team", "Nope"], "not a member")],
)
def test_the_command_says_what_is_wrong(editor, team, args, message):
    args = [a.format(user=editor.username) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args)


def test_the_members_page_links_to_the_tokens_page(client, viewer, team):
    client.force_login(viewer)
    page = client.get(reverse("accounts:members", args=[team.pk])).content.decode()
    assert reverse("api_tokens:page", args=[team.pk]) in page


def test_the_page_makes_a_token_shown_once_and_revokes_it(client, viewer, team):
    client.force_login(viewer)
    url = reverse("api_tokens:page", args=[team.pk])
    page = client.post(url, {"name": "laptop"}).content.decode()
    token = ApiToken.objects.get(user=viewer)
    secret = page.split('<code id="new-token">')[1].split("<")[0]
    assert ApiClient(secret).get("/projects").status_code == 200
    assert secret not in client.get(url).content.decode()
    assert "laptop" in client.get(url).content.decode()
    client.post(reverse("api_tokens:revoke", args=[team.pk, token.pk]))
    assert_problem(ApiClient(secret).get("/projects"), 401)


def test_members_see_their_own_tokens_and_owners_all(client, owner, editor, viewer, team):
    create_token(editor, team, "editor's")
    viewers, _ = create_token(viewer, team, "viewer's")
    client.force_login(viewer)
    page = client.get(reverse("api_tokens:page", args=[team.pk])).content.decode()
    assert "viewer&#x27;s" in page and "editor&#x27;s" not in page
    client.force_login(owner)
    page = client.get(reverse("api_tokens:page", args=[team.pk])).content.decode()
    assert "viewer&#x27;s" in page and "editor&#x27;s" in page
    client.post(reverse("api_tokens:revoke", args=[team.pk, viewers.pk]))
    viewers.refresh_from_db()
    assert viewers.revoked_at is not None


def test_others_cannot_revoke_a_token_or_see_another_teams_page(
    client, editor, viewer, outsider, team
):
    token, _ = create_token(editor, team, "ci")
    client.force_login(viewer)
    assert client.post(reverse("api_tokens:revoke", args=[team.pk, token.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("api_tokens:page", args=[team.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
