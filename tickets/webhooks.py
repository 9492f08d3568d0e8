"""Outbound webhook HTTP: target checks against SSRF, HMAC signatures, one pinned POST.

A target is refused when its host resolves to any private, loopback, link-local, multicast,
reserved or unspecified address (checked when the subscription is saved and again at every
send, after DNS resolution). The request then goes to the very address that was checked (the
name is kept for Host and TLS), so a DNS answer that changes in between cannot redirect it,
and redirects are never followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError

SIGNATURE_HEADER = "X-Helpdesk-Signature"
MAX_RESPONSE_BYTES = 64 * 1024

Resolver = Callable[[str, int], list[str]]


class UnsafeTarget(ValueError):
    """The URL may not receive webhooks; the message says why."""


def _system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(_("The host name %(host)s does not resolve.") % {"host": host}) from exc
    return sorted({info[4][0] for info in infos})


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS]


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the request must go to


def check_target(url: str, resolve: Resolver | None = None) -> Target:
    """The URL's parts and a safe address to send to; UnsafeTarget when there is none."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(_("Use an http:// or https:// address."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("Credentials in the URL are not allowed; use the signing secret."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(_("The port is not valid.")) from exc
    addresses = (resolve or _system_resolver)(parts.hostname, port)
    if not addresses:
        raise UnsafeTarget(_("The host name %(host)s does not resolve.") % {"host": parts.hostname})
    allowed = _allowed_networks()
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        if not _is_public(address) and not any(address in net for net in allowed):
            raise UnsafeTarget(
                _("%(host)s resolves to %(address)s, a private or local address.")
                % {"host": parts.hostname, "address": text}
            )
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, addresses[0].split("%")[0])


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`: receivers recompute and compare
    (constant time) and reject old timestamps, which defeats replays."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, tolerance: int = 300) -> bool:
    """Check a signature header (for receivers written in Python, and for tests)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not fields.get("t", "").isdigit() or abs(time.time() - int(fields["t"])) > tolerance:
        return False
    expected = sign(secret, body, int(fields["t"]))
    return hmac.compare_digest(expected, header)


@dataclass(frozen=True)
class Response:
    status: int
    body: str


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    resolve: Resolver | None = None,
) -> Response:
    """POST `body` to the checked address of `url`; never follows redirects."""
    target = check_target(url, resolve)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    options = {"timeout": Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool = HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **options,
        )
    else:
        pool = HTTPConnectionPool(target.address, target.port, **options)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        text = response.read(MAX_RESPONSE_BYTES, decode_content=True).decode(errors="replace")
        response.release_conn()
        return Response(response.status, text)
    except HTTPError as exc:
        raise ConnectionError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        pool.close()
