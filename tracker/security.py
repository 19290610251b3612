"""Response headers every page carries: a nonce-based CSP and the usual browser hardening, and
no caching of what a signed-in person is shown."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask_login import current_user

# Answers that may hold what only staff see: no browser or proxy may keep a copy (a shared
# computer's back button, a cache in between). Files shipped with the app stay cacheable.
NO_STORE_TYPES = ("text/html", "application/json")


def csp_nonce() -> str:
    """This request's script nonce; every inline <script> we emit carries it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def _tile_origin() -> str:
    url = current_app.config.get("TRACKER_TILES_URL")
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.hostname or ""
    # Leaflet's {s} subdomains: allow the whole host family the template names.
    if "{s}." in url:
        host = "*." + host.split(".", 1)[1]
    return f" {parts.scheme}://{host}"


def content_security_policy(nonce: str) -> str:
    """No inline script without this request's nonce, no eval, nothing from other origins."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # Leaflet positions and colours map panes with inline styles.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data:{_tile_origin()}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("TRACKER_HTTPS"):
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if response.mimetype in NO_STORE_TYPES and (
            current_user.is_authenticated or request.blueprint == "auth"
        ):
            headers["Cache-Control"] = "no-store"
        return response
