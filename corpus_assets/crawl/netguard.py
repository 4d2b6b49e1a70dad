"""Refusing requests into private networks (SSRF protection), with an explicit allow list for tests and intranets."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 ranges whose last 32 bits are an IPv4 address that the packet ends up at (through a translator or a dual
# stack). Python 3.11 calls most of them global whatever they carry, so 64:ff9b::7f00:1 would pass as public.
_LAST_32_BITS_EMBEDDING = (
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64 (RFC 6052)
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # local-use NAT64 (RFC 8215), read in the /96 format of RFC 6052
    ipaddress.IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765)
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible: deprecated, still routed by some stacks
)


def embedded_ipv4(address: IpAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (NAT64, 6to4, IPv4-mapped, -translated or -compatible), or
    None. `::` and `::1` are themselves, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1."""
    if address.version != 6 or int(address) <= 1:
        return None
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _LAST_32_BITS_EMBEDDING):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _non_public(address: IpAddress) -> str | None:
    """What makes an address one a crawl may not reach on its own, or None for a public unicast address."""
    # multicast first: Python 3.11 calls global multicast ranges (224.0.0.1, ff0e::1) global
    if address.is_multicast:
        return "multicast"
    return None if address.is_global else "non-public"


class AddressPolicy:
    """Which resolved addresses a crawl may connect to.

    Non-global addresses (loopback, private, link-local, the 169.254.169.254 metadata service, reserved ranges),
    multicast, and IPv6 addresses that embed any of these (64:ff9b::7f00:1, 2002:7f00:1::, ::ffff:127.0.0.1) are
    refused unless `allow_private_networks` is true (all allowed) or a list of networks containing them.
    """

    def __init__(self, allow_private_networks: bool | list[str]):
        self._allow_all = allow_private_networks is True
        self._allowed: list[IpNetwork] = (
            [ipaddress.ip_network(n, strict=False) for n in allow_private_networks]
            if isinstance(allow_private_networks, list)
            else []
        )

    def refusal(self, url: str) -> tuple[str, str] | None:
        """`(reason, detail)` when `url` must not be fetched, None when every address it resolves to is acceptable.

        The reason is `dns_error` for a host that does not resolve, `refused_address` for a non-public one.
        """
        try:
            host = urlsplit(url).hostname
        except ValueError as error:  # a malformed [IPv6] host: refused, as anything that cannot be checked
            return "dns_error", f"cannot parse the host of {url!r}: {error}"
        if not host:
            return "dns_error", "no host in URL"
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError) as error:  # ValueError: a NUL byte or a label IDNA cannot encode
            return "dns_error", f"cannot resolve {host}: {error}"
        for info in infos:
            detail = self.address_refusal(host, info[4][0])
            if detail:
                return "refused_address", detail
        return None

    def address_refusal(self, host: str, address_text: str) -> str | None:
        """Why `host` may not be reached at this resolved address, or None when it may.

        An IPv6 address that embeds an IPv4 one (NAT64, 6to4, mapped...) is judged by the IPv4 address, which is
        where the connection ends up. The allow list is matched against the address itself: 64:ff9b::7f00:1 is a
        translator's 127.0.0.1, not this machine's, so allowing 127.0.0.1/32 does not admit it.
        """
        try:
            address = ipaddress.ip_address(address_text.split("%", 1)[0])
        except ValueError:
            return f"{host} resolves to {address_text!r}, which is not an IP address"
        if self._allow_all or any(address in network for network in self._allowed):
            return None
        inner = embedded_ipv4(address)
        if inner is None:
            problem = _non_public(address)
            return problem and f"{host} resolves to {problem} address {address}"
        problem = _non_public(inner)
        return problem and f"{host} resolves to {address}, which embeds {inner}, a {problem} address"
