"""Can ``newsrag serve`` listen where it is told? Checked before Gradio starts, because Gradio
blames the port for every failure ("Cannot find empty port") and takes an IPv6 address only in
brackets (``::1`` unbracketed ends in an httpx traceback).

Usage: ``host = check_listen("::1", 7860)`` -> "[::1]" (for Gradio and the URL shown)
"""

from __future__ import annotations

import errno
import ipaddress
import socket

from rag.core.errors import InputError


def url_host(host: str) -> str:
    """``host`` as a URL writes it: an IPv6 address in brackets."""
    bare = host.strip("[]")
    try:
        return f"[{bare}]" if ipaddress.ip_address(bare).version == 6 else bare
    except ValueError:
        return host  # a name


def check_listen(host: str, port: int) -> str:
    """Bind ``host``:``port`` once and let go; InputError saying which of the two is wrong.
    Returns the host as Gradio takes it."""
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((bare, port))
    except OSError as exc:
        raise InputError(listen_problem(host, port, exc)) from None
    return url_host(host)


def listen_problem(host: str, port: int, exc: OSError) -> str:
    """One line for a failed bind: the address, the port, or the name."""
    if isinstance(exc, socket.gaierror):
        return f"--host {host}: not an address or a name this machine can resolve ({exc})"
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"--host {host}: this machine has no such address; use 127.0.0.1 (this machine "
            "only), 0.0.0.0 (every address it has) or one of its own addresses"
        )
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use; is another server running? choose another --port"
    if exc.errno == errno.EACCES:
        return f"port {port} needs more privileges than this user has; choose a port above 1023"
    return f"cannot listen on {host}:{port} ({exc.strerror or exc})"
