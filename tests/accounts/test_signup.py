import pytest
from django.contrib.auth import get_user_model

from designer.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db

VALID = {
    "username": "ada",
    "email": "ada@example.com",
    "team_name": "Analytical",
    "password1": "a-long-pass-phrase",
    "password2": "a-long-pass-phrase",
}


def test_sign_up_creates_the_user_and_their_first_team_as_owner(client):
    response = client.post("/accounts/signup/", VALID)
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="ada")
    assert membership.team.name == "Analytical"
    assert membership.role == Role.OWNER
    assert client.get("/projects/").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password2": "different-phrase"}, "password2"),
        ({"email": "not-an-email"}, "email"),
        ({"team_name": ""}, "team_name"),
        ({"username": ""}, "username"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_created(client, change, field):
    response = client.post("/accounts/signup/", {**VALID, **change})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not get_user_model().objects.exists()


def test_sign_up_never_redirects_off_the_site(client):
    response = client.post("/accounts/signup/?next=https://evil.example/x", VALID)
    assert response.url == "/projects/"


def test_sign_up_from_an_invitation_comes_back_to_it(client, owner, team):
    from designer.accounts.models import Invitation

    invitation = Invitation.objects.create(team=team, role=Role.EDITOR, created_by=owner)
    join = f"/accounts/join/{invitation.token}/"
    login_page = client.get(join, follow=True).content.decode()
    assert f"/accounts/signup/?next={join}" in login_page
    response = client.post(f"/accounts/signup/?next={join}", VALID)
    assert response.url == join
    client.post(join)
    assert Membership.objects.get(user__username="ada", team=team).role == Role.EDITOR
