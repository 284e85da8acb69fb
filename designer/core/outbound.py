"""The guard on calls the designer makes to a user's API (test connection, playground, discovery).

A user types an endpoint and the designer's worker calls it, so without a guard anyone could make
the worker reach its own network: the database, the broker, a cloud's metadata service. Only
http(s) is allowed, and an address in the loopback, private, link-local (metadata included),
unspecified, multicast or otherwise non-public ranges is refused unless the environment variable
PLAYGROUND_ALLOWED_HOSTS lists it (comma-separated host names, addresses or CIDR ranges).

`check_url` answers for one URL before a call. `install_socket_guard` holds a whole process to
the same rule at the socket level (name lookups and connects), so every HTTP library the plugin's
code uses obeys it, and each redirect hop, which connects anew, is checked too. It is meant for
the subprocess that runs the plugin; this module imports nothing but the standard library so that
subprocess can load it by file path.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ALLOWED_HOSTS_VARIABLE = "PLAYGROUND_ALLOWED_HOSTS"
SCHEMES = ("http", "https")
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list]


class OutboundRefused(OSError):
    """A call the guard does not allow. An OSError, so HTTP libraries report it as a failed
    connection (and the plugin maps it to Dify's connection error) instead of crashing."""


@dataclass(frozen=True)
class Allowed:
    """What PLAYGROUND_ALLOWED_HOSTS lists: host names (lowercase) and address ranges."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)


NOTHING_ALLOWED = Allowed()


def parse_allowed(text: str) -> Allowed:
    """Read the variable's value; an entry that is neither a host name nor an address range is
    a ValueError naming it."""
    hosts: set[str] = set()
    networks: list[IPNetwork] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            continue
        except ValueError:
            pass
        if "/" in entry or not all(c.isalnum() or c in "-._" for c in entry):
            msg = f"{ALLOWED_HOSTS_VARIABLE}: {entry!r} is neither a host name nor an address range"
            raise ValueError(msg)
        hosts.add(entry.lower().rstrip("."))
    return Allowed(frozenset(hosts), tuple(networks))


def allowed_from_environment(environ: Mapping[str, str] = os.environ) -> Allowed:
    return parse_allowed(environ.get(ALLOWED_HOSTS_VARIABLE, ""))


def _plain(address: IPAddress) -> IPAddress:
    """An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def refused_range(address: IPAddress) -> str | None:
    """The name of the range that makes `address` off limits, or None for a public address."""
    address = _plain(address)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("not public", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return name if name.startswith("a ") else f"a {name} address"
    return None


def refusal(what: str, reason: str) -> OutboundRefused:
    return OutboundRefused(
        f"refused outbound call to {what}: {reason}; list it in {ALLOWED_HOSTS_VARIABLE} "
        "(comma-separated hosts or CIDR ranges) to allow it"
    )


def check_address(address: IPAddress, allowed: Allowed, host: str | None = None) -> None:
    """Raise OutboundRefused unless `address` is public or allowed (by itself or by `host`)."""
    if allowed.allows_address(_plain(address)) or (host and allowed.allows_host(host)):
        return
    reason = refused_range(address)
    if reason:
        shown = f"{host} ({address})" if host and host != str(address) else str(address)
        raise refusal(shown, f"{reason}")


def resolve(host: str, port: int, resolver: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    try:
        infos = resolver(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise OutboundRefused(f"cannot resolve {host}: {error}") from error
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_url(url: str, allowed: Allowed, resolver: Resolver = socket.getaddrinfo) -> None:
    """Raise OutboundRefused unless `url` is http(s) to a host whose every address is allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise OutboundRefused(f"refused outbound call to {url!r}: {error}") from error
    if parts.scheme.lower() not in SCHEMES:
        scheme = parts.scheme or "no scheme"
        raise OutboundRefused(f"refused outbound call to {url!r}: only http and https ({scheme})")
    host = parts.hostname
    if not host:
        raise OutboundRefused(f"refused outbound call to {url!r}: no host")
    if allowed.allows_host(host):
        return
    for address in resolve(host, port, resolver):
        check_address(address, allowed, host)


@dataclass
class SocketGuard:
    """The state of the guard installed in a process: the rule, the addresses a name lookup
    allowed by host name, every refusal so far (the runner reports them) and how to undo it."""

    allowed: Allowed
    allowed_by_name: set[IPAddress] = field(default_factory=set)
    refusals: list[str] = field(default_factory=list)
    undo: list[Callable[[], None]] = field(default_factory=list)
    lookup: Resolver = socket.getaddrinfo

    def refuse(self, error: OutboundRefused) -> OutboundRefused:
        self.refusals.append(str(error))
        return error

    def check_lookup(self, host, infos: list) -> None:
        name = host.decode() if isinstance(host, bytes) else str(host)
        for info in infos:
            if info[0] not in (socket.AF_INET, socket.AF_INET6):
                continue
            address = ipaddress.ip_address(info[4][0].split("%")[0])
            try:
                check_address(address, self.allowed, name)
            except OutboundRefused as error:
                raise self.refuse(error) from None
            if self.allowed.allows_host(name):
                self.allowed_by_name.add(address)

    def check_connect(self, family: int, address) -> None:
        if family not in (socket.AF_INET, socket.AF_INET6):
            raise self.refuse(refusal(repr(address), "only internet sockets are allowed"))
        host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
        try:
            ip = ipaddress.ip_address(host.split("%")[0])
        except ValueError:  # a host name: gevent's connect resolves it itself
            if not self.allowed.allows_host(host):
                self.check_lookup(host, self.lookup(host, address[1]))
            return
        if ip in self.allowed_by_name:
            return
        try:
            check_address(ip, self.allowed)
        except OutboundRefused as error:
            raise self.refuse(error) from None

    def uninstall(self) -> None:
        while self.undo:
            self.undo.pop()()


def install_socket_guard(allowed: Allowed) -> SocketGuard:
    """Patch this process's `socket` module: every name lookup and every connect is checked.

    Install it after anything that monkeypatches `socket` (the SDK's gevent does on import),
    or the patching replaces the guarded functions."""
    real_getaddrinfo = socket.getaddrinfo
    guard = SocketGuard(allowed, lookup=real_getaddrinfo)
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host, *args, **kwargs):
        infos = real_getaddrinfo(host, *args, **kwargs)
        if host is not None:
            guard.check_lookup(host, infos)
        return infos

    def connect(self, address):
        guard.check_connect(self.family, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        guard.check_connect(self.family, address)
        return real_connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    guard.undo.append(lambda: setattr(socket, "getaddrinfo", real_getaddrinfo))
    guard.undo.append(lambda: setattr(socket.socket, "connect", real_connect))
    guard.undo.append(lambda: setattr(socket.socket, "connect_ex", real_connect_ex))
    return guard
