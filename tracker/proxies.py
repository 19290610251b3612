"""Who the client is, behind reverse proxies: X-Forwarded-* honoured from trusted proxies only.

A proxy appends the address it received a request from to X-Forwarded-For. Believing that header
from anyone would let any client claim any address (and so dodge sign-in throttling, which counts
by address); ignoring it behind a proxy would make every user look like the proxy. So the header
is read, through Werkzeug's ProxyFix, only when the request arrives from an address in
TRACKER_TRUSTED_PROXIES, and as many entries are peeled off it as there are trusted proxies in
the chain: the first untrusted address, from the right, is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """WSGI middleware: ProxyFix for requests from trusted proxies, nothing for the others."""

    def __init__(self, app: Callable, networks: Iterable[Network]) -> None:
        self.app = app
        self.networks = tuple(networks)
        self._fixers: dict[int, ProxyFix] = {}

    def trusted(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address((address or "").strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, environ, start_response):
        if not self.trusted(environ.get("REMOTE_ADDR")):
            return self.app(environ, start_response)
        chain = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = 1
        while hops < len(chain) and self.trusted(chain[-hops]):
            hops += 1  # that entry was added by another proxy of ours: look one further left
        if hops not in self._fixers:
            self._fixers[hops] = ProxyFix(self.app, x_for=hops, x_proto=1)
        return self._fixers[hops](environ, start_response)


def init_app(app: Flask) -> None:
    networks = app.config.get("TRACKER_TRUSTED_PROXIES") or ()
    if networks:
        app.wsgi_app = TrustedProxies(app.wsgi_app, networks)
