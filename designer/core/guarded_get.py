"""One HTTP GET from the designer's own process under the outbound guard (``outbound.py``).

Each hop (the URL, then each redirect) is checked, and the connection goes to the very address
that was checked, so a name that resolves elsewhere the second time (DNS rebinding) cannot
reach an internal address. A redirect to another host drops the Authorization header. The time
limit holds for the whole call, redirects included.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .outbound import Allowed, OutboundRefused, check_address, check_url, resolve

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 3
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    url: str  # after redirects


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, address: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, address: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def checked_address(url: str, allowed: Allowed) -> str:
    """The address to connect to for ``url``, checked by the guard."""
    check_url(url, allowed)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)[0]
    check_address(address, allowed, parts.hostname)
    return str(address)


def guarded_get(
    url: str,
    headers: dict[str, str],
    allowed: Allowed,
    *,
    timeout: float = 15.0,
    max_bytes: int = MAX_BYTES,
) -> Response:
    """GET ``url``; OutboundRefused for what the guard refuses, OSError for a failed call
    (TimeoutError past ``timeout``), ValueError for an answer over ``max_bytes``."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no answer within {timeout:g} s")
        status, location, body = one_get(url, headers, allowed, left, max_bytes)
        if status not in REDIRECTS or not location:
            return Response(status, body, url)
        target = urljoin(url, location)
        if urlsplit(target).netloc != urlsplit(url).netloc:
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        url = target
    raise OutboundRefused(f"more than {MAX_REDIRECTS} redirects")


def one_get(url: str, headers, allowed, timeout: float, max_bytes: int):
    address = checked_address(url, allowed)
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    kind = PinnedHTTPSConnection if https else PinnedHTTPConnection
    connection = kind(address, parts.hostname, port, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read(max_bytes + 1)
    except http.client.HTTPException as error:
        raise OSError(f"not an HTTP answer: {error}") from None
    finally:
        connection.close()
    if len(body) > max_bytes:
        raise ValueError(f"the answer is larger than {max_bytes // (1024 * 1024)} MB")
    return response.status, response.getheader("Location"), body
