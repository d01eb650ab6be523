"""The address phones in the room can open: what the facilitator's browser used is often
localhost, which no phone can reach."""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from riskkit.i18n import gettext as _


def network_address() -> str | None:
    """This machine's address on the network it would use to reach others, or None.
    (Connecting a UDP socket sends nothing: it only asks the system which route it would take.)"""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never answered, never sent to
            found = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(found).is_loopback else found


def is_local(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def join_base(page_url: str, listening_on: str) -> tuple[str, str | None]:
    """(base address for the join link, warning or None). RISKKIT_PUBLIC_URL wins (a name the
    facilitator set up, or a reverse proxy); else the address the facilitator's browser used,
    unless that is this machine only, when the machine's network address is used if the server
    listens beyond loopback."""
    configured = os.environ.get("RISKKIT_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured, None
    parts = urlsplit(page_url or "http://localhost:8501")
    scheme, host, port = parts.scheme or "http", parts.hostname or "localhost", parts.port
    if not is_local(host):
        return f"{scheme}://{parts.netloc}", None
    suffix = f":{port}" if port else ""
    if listening_on in ("127.0.0.1", "localhost", "::1"):
        return f"{scheme}://{host}{suffix}", _("Phones cannot open this address: riskkit listens on this computer "
                                               "only. Stop it and start it with “{command}” (see the README).").format(
                                                   command="make room")
    found = network_address()
    if found is None:
        return f"{scheme}://{host}{suffix}", _("This computer has no network address that phones could use. "
                                               "Connect it to the room's Wi-Fi, or set {setting}.").format(
                                                   setting="RISKKIT_PUBLIC_URL")
    return f"{scheme}://{found}{suffix}", None
