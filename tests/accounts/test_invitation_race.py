"""Six people accept one invitation at the same moment, over HTTP against a live threaded server
sharing one database: exactly one joins, and nobody gets a server error. A database that stays
locked answers 503 "busy, try again"."""

import contextlib
import re
import sqlite3
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from designer.accounts.models import Invitation, Membership, Role, Team
from designer.projects.models import Project
from tests.conftest import make_member

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 6


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookies: dict, data: bytes | None = None):
    """(status, body, cookies set) of one request, redirects not followed."""
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    request = urllib.request.Request(url, data=data, headers={"Cookie": header, "Referer": url})
    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=60)
    except urllib.error.HTTPError as error:
        response = error
    set_cookies = dict(
        re.match(r"([^=]+)=([^;]*)", value).groups()
        for value in response.headers.get_all("Set-Cookie") or []
    )
    return response.status, response.read().decode(), set_cookies


class Person:
    """A signed-in browser that has opened the invitation's page."""

    def __init__(self, url: str, user):
        signed_in = Client()
        signed_in.force_login(user)
        self.url = url
        self.cookies = {"sessionid": signed_in.cookies["sessionid"].value}
        _, page, set_cookies = fetch(url, self.cookies)
        self.cookies.update(set_cookies)
        self.form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def accept(self) -> int:
        return fetch(self.url, self.cookies, f"csrfmiddlewaretoken={self.form_token}".encode())[0]


def test_six_people_accepting_one_invitation_at_once_let_exactly_one_join(
    live_server, django_user_model, team, owner
):
    invitation = Invitation.objects.create(team=team, role=Role.EDITOR, created_by=owner)
    url = f"{live_server.url}/accounts/join/{invitation.token}/"
    people = []
    for number in range(PEOPLE):
        own_team = Team.objects.create(name=f"Own {number}")
        people.append(Person(url, make_member(django_user_model, own_team, Role.OWNER)))
    start = threading.Barrier(PEOPLE)
    statuses = []

    def accept(person):
        start.wait()
        statuses.append(person.accept())

    threads = [threading.Thread(target=accept, args=[person]) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [302] + [404] * (PEOPLE - 1)
    [joined] = Membership.objects.filter(team=team).exclude(user=owner)
    invitation.refresh_from_db()
    assert invitation.accepted_by == joined.user


@contextlib.contextmanager
def database_locked():
    """Another process holds SQLite's write lock (in WAL mode reads go on); this process waits
    0.2 s for it instead of 30 s."""
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = 0.2
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        connection.close()
        connection.settings_dict["OPTIONS"]["timeout"] = 30


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file lock")
def test_a_database_locked_past_its_wait_answers_503_busy_try_again(client, owner):
    client.force_login(owner)
    with database_locked():
        response = client.post("/projects/new/", {"name": "Waits for the lock"})
    assert response.status_code == 503
    assert "Busy, try again" in response.content.decode()
    assert response["Retry-After"] == "2"
    assert client.get("/projects/").status_code == 200
    assert not Project.objects.filter(name="Waits for the lock").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file lock")
def test_a_database_locked_in_a_middleware_answers_503_not_500(owner):
    # Switching team changes the session, which its middleware saves after the view: the lock
    # is met outside any view. (The test client would re-raise the error it saw logged.)
    browser = Client(raise_request_exception=False)
    browser.force_login(owner)
    team = Membership.objects.filter(user=owner).first().team
    with database_locked():
        response = browser.post(reverse("accounts:switch", args=[team.pk]))
    assert response.status_code == 503
    assert "Busy, try again" in response.content.decode()
    assert browser.get("/projects/").status_code == 200
