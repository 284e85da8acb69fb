"""The outbound guard: every refusal, the variable that allows, and the socket-level guard with
real HTTP libraries against the fake server (redirects included)."""

import httpx
import pytest
import requests

from designer.core.outbound import (
    ALLOWED_HOSTS_VARIABLE,
    OutboundRefused,
    allowed_from_environment,
    check_url,
    install_socket_guard,
    parse_allowed,
)
from tests.generated.fake_openai import GOOD_KEY, running_fake_openai

NOTHING = parse_allowed("")


@pytest.fixture(scope="module")
def fake():
    with running_fake_openai() as fake:
        yield fake


def refusal(url: str, allowed=NOTHING) -> str:
    with pytest.raises(OutboundRefused) as caught:
        check_url(url, allowed)
    return str(caught.value)


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "example.com/v1"])
def test_only_http_and_https(url):
    assert "only http and https" in refusal(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8000/v1", "loopback"),
        ("http://localhost/v1", "loopback"),
        ("http://[::1]/v1", "loopback"),
        ("http://10.1.2.3/v1", "private"),
        ("https://192.168.0.10/v1", "private"),
        ("http://172.16.5.4/v1", "private"),
        ("http://169.254.10.10/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "metadata"),
        ("http://[fc00::5]/v1", "private"),
        ("http://[::ffff:10.0.0.1]/v1", "private"),
        ("http://0.0.0.0:8000/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://100.64.0.1/", "not public"),
    ],
)
def test_internal_addresses_are_refused_naming_the_variable(url, reason):
    message = refusal(url)
    assert reason in message
    assert ALLOWED_HOSTS_VARIABLE in message


def test_a_public_address_passes():
    check_url("https://8.8.8.8/v1", NOTHING)
    check_url("http://[2001:4860:4860::8888]/v1", NOTHING)


def test_the_variable_allows_addresses_ranges_and_host_names():
    allowed = allowed_from_environment(
        {ALLOWED_HOSTS_VARIABLE: " 127.0.0.1, 10.0.0.0/8,Local.Test "}
    )
    check_url("http://127.0.0.1:9999/v1", allowed)
    check_url("http://10.200.0.1/v1", allowed)
    check_url("http://local.test./v1", allowed)  # allowed by name, never resolved
    assert "loopback" in refusal("http://127.0.0.2/v1", allowed)
    assert "private" in refusal("http://192.168.1.1/v1", allowed)
    check_url("http://[fd00::1]/", parse_allowed("fd00::/8"))


def test_a_name_resolving_to_an_allowed_address_passes():
    check_url("http://localhost:1/v1", parse_allowed("127.0.0.1,::1"))


def test_a_bad_entry_in_the_variable_is_named():
    with pytest.raises(ValueError, match=f"{ALLOWED_HOSTS_VARIABLE}: 'ex ample' is neither"):
        parse_allowed("127.0.0.1, ex ample")


@pytest.fixture
def guarded(request):
    guard = install_socket_guard(parse_allowed(request.param))
    yield guard
    guard.uninstall()


def bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {GOOD_KEY}"}


@pytest.mark.parametrize("guarded", ["127.0.0.1"], indirect=True)
def test_the_socket_guard_lets_allowed_calls_through(guarded, fake):
    assert requests.get(fake.url + "/models", headers=bearer(), timeout=5).status_code == 200
    assert httpx.get(fake.url + "/models", headers=bearer(), timeout=5).status_code == 200
    assert guarded.refusals == []


@pytest.mark.parametrize("guarded", [""], indirect=True)
def test_the_socket_guard_refuses_for_every_library(guarded, fake):
    with pytest.raises(requests.ConnectionError, match=ALLOWED_HOSTS_VARIABLE):
        requests.get(fake.url + "/models", timeout=5)
    with pytest.raises(httpx.ConnectError, match=ALLOWED_HOSTS_VARIABLE):
        httpx.get(fake.url + "/models", timeout=5)
    assert len(guarded.refusals) == 2


@pytest.mark.parametrize("guarded", ["127.0.0.1"], indirect=True)
def test_a_redirect_to_a_refused_address_is_refused(guarded, fake):
    port = fake.server.server_address[1]
    target = f"http://127.0.0.2:{port}/v1/models"
    with pytest.raises(requests.ConnectionError, match=ALLOWED_HOSTS_VARIABLE):
        requests.get(f"{fake.url}/redirect?to={target}", headers=bearer(), timeout=5)
    with pytest.raises(httpx.ConnectError, match=ALLOWED_HOSTS_VARIABLE):
        httpx.get(f"{fake.url}/redirect?to={target}", follow_redirects=True, timeout=5)
    assert [r for r in guarded.refusals if "127.0.0.2" in r]


@pytest.mark.parametrize("guarded", ["127.0.0.1"], indirect=True)
def test_a_redirect_to_an_allowed_address_is_followed(guarded, fake):
    target = f"{fake.url}/models"
    answer = requests.get(f"{fake.url}/redirect?to={target}", headers=bearer(), timeout=5)
    assert answer.json()["data"][0]["id"] == fake.models[0]


@pytest.mark.parametrize("guarded", ["10.0.0.0/8"], indirect=True)
def test_a_name_resolving_to_a_refused_address_is_refused_at_lookup(guarded, fake):
    port, seen = fake.server.server_address[1], len(fake.requests)
    with pytest.raises(requests.ConnectionError, match=r"localhost \(.*loopback"):
        requests.get(f"http://localhost:{port}/v1/models", timeout=5)
    assert len(fake.requests) == seen


@pytest.mark.parametrize("guarded", ["localhost"], indirect=True)
def test_a_host_name_in_the_variable_allows_what_it_resolves_to(guarded, fake):
    port = fake.server.server_address[1]
    answer = requests.get(f"http://localhost:{port}/v1/models", headers=bearer(), timeout=5)
    assert answer.status_code == 200
