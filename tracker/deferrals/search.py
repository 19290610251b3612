"""Finding letters by what people type: the sender's name, title and agency, the summary, and
the jurisdiction's name, state and FIPS code.

Every word typed must begin a word of the letter, in any order, ignoring case and accents: "dona
ana" finds a letter from Doña Ana County, "ALV" one signed by Pat Álvarez, "48003" one from
Andrews County, TX. A letter's words are folded once, when it is logged, into `search_text`
(tracker.text.words); the engine's own full-text index finds them, with no extension to
install: SQLite's FTS5 (the `deferral_request_search` table, kept in step by triggers) and
PostgreSQL's text search (a GIN index on to_tsvector('simple', search_text)). Both are created
by the migration that added the column. `matching()` is the one way to search.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, column, false, func, literal, literal_column, select, table
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from tracker.deferrals.models import DeferralRequest
from tracker.extensions import db
from tracker.registry.models import Jurisdiction
from tracker.text import fold, words

FTS_TABLE = "deferral_request_search"
# Up to this many matches, SQLite reads the matching letters and sorts them; beyond it, it
# walks the list's order and keeps the matching letters (see matching()).
DRIVE_FROM_MATCHES = 2_000


def searchable_text(parts: Iterable[str | None]) -> str:
    """What a letter's `search_text` holds: the folded words of `parts`, space-separated."""
    return " ".join(words(" ".join(part for part in parts if part)))


def letter_search_text(letter: DeferralRequest, jurisdiction_name: str, state_postal: str) -> str:
    """The words a letter is found by (see the module's docstring)."""
    return searchable_text(
        (
            letter.sender_name,
            letter.sender_title,
            letter.sender_agency,
            letter.summary,
            jurisdiction_name,
            state_postal,
            letter.jurisdiction_fips,
        )
    )


def index_words(letter: DeferralRequest, jurisdiction: Jurisdiction) -> None:
    """Write what a letter is found and sorted by, from its fields: its folded words
    (`search_text`) and its folded sender (`sender_sort`). Called wherever a letter's logged
    fields are written (logging it, correcting it), before the flush that keeps its version."""
    letter.search_text = letter_search_text(
        letter, jurisdiction.full_name, jurisdiction.state.postal
    )
    letter.sender_sort = fold(letter.sender_name)


def matching(q: str, letters: FromClause | None = None) -> ColumnElement[bool]:
    """SQL for "every word of `q` begins a word of this letter" over `letters` (any selectable
    with the letter table's columns; the table by default), served by the full-text index
    (on SQLite, the letters as they stood at a moment are matched on their words then).
    Text with no word in it ("--") matches nothing."""
    own = DeferralRequest.__table__
    c = (letters if letters is not None else own).c
    wanted = words(q)
    if not wanted:
        return false()
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if not postgresql and letters is not None and letters is not own:
        # FTS5 indexes the letters' words as they are now; the letters as they stood at a moment
        # (letters_known_at) are matched on their own words then: each word typed begins one of
        # theirs (a word is letters and digits only, so it needs no LIKE escaping).
        text = literal(" ") + c.search_text
        return and_(*(text.like(f"% {word}%") for word in wanted))
    if postgresql:
        # The same expression as the index, so the planner uses it: 'simple' neither stems nor
        # drops stop words; ":*" makes each word a prefix.
        query = " & ".join(f"{word}:*" for word in wanted)
        document = func.to_tsvector(literal_column("'simple'"), c.search_text)
        return document.op("@@")(func.to_tsquery(literal_column("'simple'"), query))
    # FTS5: each word quoted (so none reads as an operator), "*" for a prefix; all must match.
    query = " ".join(f'"{word}"*' for word in wanted)
    index = table(FTS_TABLE, column("rowid"))
    match = literal_column(FTS_TABLE).op("MATCH")(query)
    found = select(index.c.rowid).where(match)
    many = db.session.scalar(select(func.count()).select_from(index).where(match))
    if many > DRIVE_FROM_MATCHES:
        # SQLite would read every match and sort them; with "id + 0" it walks the list's
        # order on its index instead and checks each letter against the matches, stopping
        # once the page is full. Few matches are faster read directly.
        return (c.id + 0).in_(found)
    return c.id.in_(found)
