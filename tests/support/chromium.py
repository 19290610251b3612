"""Debian's Chromium, launched the one way the browser tests and the map bench both use.

Playwright's own browser download is never used (these machines cannot download it); the flags
keep Chromium from reaching the network on its own and from needing a sandbox or a GPU.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
