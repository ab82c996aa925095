"""Which addresses the chat may fetch from: public ones only, and an IPv6 address that carries an
IPv4 address inside it (NAT64, IPv4-mapped or -translated, IPv4-compatible, 6to4, Teredo) is
judged by the IPv4 address it reaches, so ``64:ff9b::7f00:1`` is loopback like ``127.0.0.1``.

Usage: ``public(ipaddress.ip_address("64:ff9b::a00:1"))`` -> False
"""

from __future__ import annotations

import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# prefixes whose last 32 bits are an IPv4 address: NAT64 well-known and local-use (RFC 6052,
# 8215), IPv4-mapped, IPv4-translated (SIIT) and the deprecated IPv4-compatible ::a.b.c.d
EMBEDDING_NETWORKS = tuple(
    ipaddress.IPv6Network(n)
    for n in ("64:ff9b::/96", "64:ff9b:1::/48", "::ffff:0:0/96", "::ffff:0:0:0/96", "::/96")
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (none for a plain IPv6 address)."""
    found: list[ipaddress.IPv4Address] = []
    if any(address in net for net in EMBEDDING_NETWORKS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found += list(address.teredo)
    return found


def public(address: Address) -> bool:
    """True when ``address`` and every IPv4 address inside it are global unicast."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(public(inner) for inner in embedded_ipv4(address))
    return True
