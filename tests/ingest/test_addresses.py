"""The chat's address rule (issue 25, item 3): an IPv6 address that carries a private or loopback
IPv4 address is refused like that IPv4 address. Pure checks: nothing is resolved or fetched."""

from __future__ import annotations

import ipaddress

import pytest

from ingest.addresses import public
from ingest.fetch import Fetcher, FetchError, FetchPolicy

CARRYING_PRIVATE = [
    "64:ff9b::7f00:1",  # NAT64 well-known prefix + 127.0.0.1
    "64:ff9b::a00:7",  # NAT64 + 10.0.0.7
    "64:ff9b::a9fe:a9fe",  # NAT64 + 169.254.169.254 (cloud metadata)
    "64:ff9b:1::c0a8:1",  # NAT64 local-use prefix + 192.168.0.1
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:0:a00:1",  # IPv4-translated (SIIT) + 10.0.0.1
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
]


@pytest.mark.parametrize("address", CARRYING_PRIVATE)
def test_an_ipv6_form_of_a_private_ipv4_address_is_not_public(address: str) -> None:
    assert not public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "::ffff:127.0.0.1", "2002:a00:1::1"])
def test_the_fetcher_refuses_it_before_any_connection(address: str) -> None:
    with pytest.raises(FetchError, match=r"private or local address"):
        Fetcher(FetchPolicy()).fetch(f"http://[{address}]/")


def test_public_addresses_stay_public() -> None:
    # a public IPv4 address behind NAT64 or 6to4 is as public as the address itself
    for text in ("64:ff9b::808:808", "2002:808:808::1", "8.8.8.8", "2606:4700::1111"):
        assert public(ipaddress.ip_address(text)), text
    for text in ("127.0.0.1", "::1", "10.1.2.3", "fe80::1", "fd00::1", "224.0.0.1"):
        assert not public(ipaddress.ip_address(text)), text
