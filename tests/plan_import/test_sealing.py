"""The uploaded file carried to the confirmation: signed, compressed, expiring."""

from __future__ import annotations

import pytest

from tracker.plan.importing.sealing import SealBroken, seal, unseal


@pytest.fixture()
def request_context(app):
    with app.test_request_context():
        yield


def test_round_trip(request_context):
    data = "state,jurisdiction,scheduled_on\nNM,Doña Ana,2011-09-01\n".encode() * 200
    token = seal("plan update.csv", data)
    assert len(token) < len(data) / 4  # compressed before it travels
    assert unseal(token) == ("plan update.csv", data)


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_altered_tokens_are_refused(request_context, damage):
    token = seal("plan.csv", b"state,jurisdiction,scheduled_on\nTX,Anderson,2011-09-01\n")
    altered = {
        "flip": token[:10] + ("A" if token[10] != "A" else "B") + token[11:],
        "truncate": token[:-5],
        "garbage": "not a token at all ✓",
    }[damage]
    with pytest.raises(SealBroken):
        unseal(altered)


def test_expired_tokens_are_refused(request_context):
    token = seal("plan.csv", b"x")
    with pytest.raises(SealBroken):
        unseal(token, max_age=-1)


def test_a_token_signed_with_another_key_is_refused(app, request_context):
    token = seal("plan.csv", b"x")
    original = app.secret_key
    app.secret_key = "another-secret"
    try:
        with pytest.raises(SealBroken):
            unseal(token)
    finally:
        app.secret_key = original
