"""Searching the letter log: every word typed begins a word of the letter (sender's name, title
and agency, summary, jurisdiction name, state, FIPS code), in any order, whatever the case and
the accents, through the engine's full-text index, on the page and in the API alike."""

from __future__ import annotations

import pytest

from tests.deferrals.samples import log_letter
from tests.factories import D
from tracker.deferrals import search
from tracker.deferrals.models import DeferralRequest
from tracker.extensions import db


@pytest.fixture()
def found(app, signed_in):
    """found(q) -> the names of the letters the log's search finds for q."""
    with app.app_context():
        ids = {
            "dona_ana": log_letter(
                jurisdiction="35013",  # Doña Ana County, NM
                sender_name="Pat Álvarez",
                sender_title="Sheriff",
                sender_agency="Doña Ana County Sheriff's Office",
                summary="Asks for more time to train booking staff.",
            ).id,
            "anderson": log_letter(
                jurisdiction="48001",  # Anderson County, TX
                sender_name="Jordan Baker",
                sender_title="Chief of Police",
                sender_agency="Palestine Police Department",
                summary="The county board will hold a hearing on the MOU.",
            ).id,
            "san_francisco": log_letter(
                jurisdiction="06075",
                sender_name="MORGAN CHEN",
                sender_title="County Executive",
                sender_agency=None,
                summary=None,
            ).id,
        }
        db.session.commit()
    client = signed_in("viewer")

    def _found(q: str) -> set[str]:
        body = client.get("/api/v1/deferrals", query_string={"q": q, "as_of": "2011-03-02"})
        assert body.status_code == 200, body.get_json()
        got = {item["id"] for item in body.get_json()["items"]}
        page = client.get("/deferrals", query_string={"q": q, "as_of": "2011-03-02"})
        html = page.get_data(as_text=True)
        assert {i for i in ids.values() if f"#{i}<" in html} == got  # the page agrees
        return {name for name, letter_id in ids.items() if letter_id in got}

    return _found


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # accents and case do not count, either way round
        ("dona ana", {"dona_ana"}),
        ("DOÑA", {"dona_ana"}),
        ("Doña Ana", {"dona_ana"}),
        ("alvarez", {"dona_ana"}),
        ("ÁLVAREZ", {"dona_ana"}),
        ("morgan chen", {"san_francisco"}),
        ("Morgan Chen", {"san_francisco"}),
        # the beginning of a word, words in any order, across the letter's fields
        ("bak", {"anderson"}),
        ("baker palestine", {"anderson"}),
        ("palestine baker", {"anderson"}),
        ("hearing", {"anderson"}),
        ("booking staff", {"dona_ana"}),
        ("sheriff", {"dona_ana"}),
        ("county", {"dona_ana", "anderson", "san_francisco"}),
        ("San Francisco", {"san_francisco"}),
        ("Anderson, TX", {"anderson"}),
        ("NM", {"dona_ana"}),
        ("48001", {"anderson"}),
        ("480", {"anderson"}),
        ("Sheriff's", {"dona_ana"}),
        # every word must be found
        ("baker chen", set()),
        ("aker", set()),  # inside a word, not its beginning
        ("--", set()),  # no word at all
        ("zzz", set()),
    ],
)
def test_search_finds_words_whatever_their_case_and_accents(found, q, expected):
    assert found(q) == expected


def test_the_words_are_folded_once_when_the_letter_is_logged(app_context):
    letter = log_letter(jurisdiction="35013", sender_name="Zoë O'Brien-Núñez", summary="Café.")
    assert letter.search_text == (
        "zoe o brien nunez sheriff anderson county sheriff s office cafe dona ana county nm 35013"
    )
    assert letter.sender_sort == "zoe o'brien-nunez"  # the log's Sender order
    assert search.searchable_text(["Ñandú", None, "  "]) == "nandu"


def test_search_reads_the_index_not_every_letter(app_context):
    """The condition is the engine's full-text match (FTS5 or a GIN-indexed tsvector), never
    a LIKE over the table."""
    log_letter(received_on=D("2011-02-22"))
    condition = search.matching("anderson sheriff")
    sql = str(condition.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        assert "to_tsvector('simple', deferral_request.search_text) @@ to_tsquery('simple'" in sql
        assert "anderson:* & sheriff:*" in sql
    else:
        assert "deferral_request_search MATCH" in sql and '"anderson"* "sheriff"*' in sql
    assert "LIKE" not in sql.upper()
    assert db.session.query(DeferralRequest).filter(condition).count() == 1
