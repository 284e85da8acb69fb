"""Discovery's call to ``GET {endpoint}/models`` under the outbound guard, against the fake
server on 127.0.0.1 (allowed only where the test lists it)."""

from urllib.parse import quote

import pytest

from designer.core.discovery import DiscoveryError, fetch_listing
from designer.core.guarded_get import guarded_get
from designer.core.outbound import OutboundRefused, parse_allowed
from tests.generated.fake_openai import GOOD_KEY, MODELS, running_fake_openai

LOCAL = parse_allowed("127.0.0.1")


@pytest.fixture(scope="module")
def fake():
    with running_fake_openai() as fake:
        yield fake


def test_the_listing_comes_with_the_key_sent(fake):
    listed = fetch_listing(fake.url, GOOD_KEY, LOCAL)
    assert [m.id for m in listed] == MODELS
    assert fake.to("models")[-1].headers["authorization"] == f"Bearer {GOOD_KEY}"


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("wrong-key", "HTTP 401: Incorrect API key provided: ***"),
        ("status-403", "HTTP 403: this key may not use this model"),
        ("status-404", "HTTP 404: the model does not exist"),
    ],
)
def test_a_refusing_api_says_its_status_and_message_without_the_key(fake, key, says):
    with pytest.raises(DiscoveryError) as caught:
        fetch_listing(fake.url, key, LOCAL)
    assert says in str(caught.value)
    assert key not in str(caught.value)


def test_a_local_address_not_listed_is_refused_before_any_call(fake):
    before = len(fake.requests)
    with pytest.raises(OutboundRefused, match="PLAYGROUND_ALLOWED_HOSTS"):
        fetch_listing(fake.url, GOOD_KEY, parse_allowed(""))
    assert len(fake.requests) == before


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/models", "http://169.254.169.254/latest"]
)
def test_only_http_to_allowed_addresses(url):
    with pytest.raises(OutboundRefused):
        guarded_get(url, {}, LOCAL)


def test_redirects_are_followed_only_to_allowed_addresses(fake):
    allowed_target = quote(f"{fake.url}/models", safe="")
    followed = guarded_get(
        f"{fake.url}/redirect?to={allowed_target}", {"Authorization": f"Bearer {GOOD_KEY}"}, LOCAL
    )
    assert followed.status == 200 and followed.url == f"{fake.url}/models"
    before = len(fake.requests)
    with pytest.raises(OutboundRefused, match="PLAYGROUND_ALLOWED_HOSTS"):
        guarded_get(f"{fake.url}/redirect?to=http://10.1.2.3/v1/models", {}, LOCAL)
    assert len(fake.requests) == before + 1  # the redirect itself, nothing after it


def test_a_redirect_to_another_host_does_not_carry_the_key(fake):
    host, port = fake.server.server_address[:2]
    other = quote(f"http://localhost:{port}/v1/models", safe="")
    allowed = parse_allowed("127.0.0.1,localhost,::1")
    response = guarded_get(
        f"{fake.url}/redirect?to={other}", {"Authorization": f"Bearer {GOOD_KEY}"}, allowed
    )
    assert response.status == 401  # the fake answers 401 without a key
    assert "authorization" not in fake.requests[-1].headers


def test_a_slow_api_stops_at_the_time_limit(fake):
    with pytest.raises(DiscoveryError, match="failed: .*timed out"):
        fetch_listing(fake.url, "slow-5", LOCAL, timeout=1)
