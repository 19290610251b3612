"""Carrying an uploaded import file from the preview page to the confirmation, tamper-proof.

The file travels back to the browser in a hidden form field, compressed and signed with the app's
secret key, so any app server behind the load balancer can confirm it without shared storage,
and nobody can swap the previewed file for another one. The confirmation re-validates it. Each
kind of import seals with its own salt, so a file previewed as a plan cannot be confirmed as
statistics.
"""

from __future__ import annotations

import base64
import zlib

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner

SALT = "tracker.plan-import"
# A preview left open longer than this must be uploaded again.
MAX_AGE_SECONDS = 2 * 60 * 60


class SealBroken(Exception):
    """The sealed upload was altered, expired or is not one of ours."""


def _signer(salt: str) -> TimestampSigner:
    return TimestampSigner(current_app.secret_key, salt=salt)


def seal(filename: str, data: bytes, salt: str = SALT) -> str:
    """`filename` and `data` as a signed, URL-safe token."""
    packed = zlib.compress(filename.encode() + b"\0" + data, level=6)
    return _signer(salt).sign(base64.urlsafe_b64encode(packed)).decode("ascii")


def unseal(token: str, salt: str = SALT, max_age: int = MAX_AGE_SECONDS) -> tuple[str, bytes]:
    """The (filename, data) sealed in `token` with `salt`; SealBroken when it cannot be
    trusted."""
    try:
        packed = _signer(salt).unsign(token.encode("ascii"), max_age=max_age)
        raw = zlib.decompress(base64.urlsafe_b64decode(packed))
    except (BadSignature, UnicodeEncodeError, ValueError, zlib.error) as exc:
        raise SealBroken(str(exc)) from exc
    name, _, data = raw.partition(b"\0")
    return name.decode(), data
