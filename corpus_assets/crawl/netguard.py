"""Refusing requests into private networks (SSRF protection), with an explicit allow list for tests and intranets."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressPolicy:
    """Which resolved addresses a crawl may connect to.

    Non-global addresses (loopback, private, link-local, the 169.254.169.254 metadata service, reserved ranges)
    are refused unless `allow_private_networks` is true (all allowed) or a list of networks containing them.
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
        host = urlsplit(url).hostname
        if not host:
            return "dns_error", "no host in URL"
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as error:
            return "dns_error", f"cannot resolve {host}: {error}"
        for info in infos:
            detail = self.address_refusal(host, info[4][0])
            if detail:
                return "refused_address", detail
        return None

    def address_refusal(self, host: str, address_text: str) -> str | None:
        """Why `host` may not be reached at this resolved address, or None when it may."""
        address = ipaddress.ip_address(address_text.split("%", 1)[0])
        if address.is_global or self._allow_all or any(address in network for network in self._allowed):
            return None
        return f"{host} resolves to non-public address {address}"
