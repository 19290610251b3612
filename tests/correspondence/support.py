"""Shared helpers for the correspondence tests: the sample messages and a frozen office day."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import time_machine

MESSAGES = Path(__file__).parent / "messages"
# 20 January 2011, midday in Washington: after every sample message's Date.
JAN_20 = dt.datetime(2011, 1, 20, 17, 0, tzinfo=dt.UTC)


def sample(name: str) -> bytes:
    return (MESSAGES / name).read_bytes()


def on_jan_20():
    return time_machine.travel(JAN_20, tick=False)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
