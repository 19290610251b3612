"""Finding states and jurisdictions from what people type: codes, names, "Name, ST" lines.

Every page, form, command and API call that names a state or a jurisdiction resolves it here, so
"TX", "48" and "tx" mean the same state everywhere and a misspelt name gets the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import func, or_, select

from tracker.cache import cached
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.registry.models import Jurisdiction, State, StateKind

_V = TypeVar("_V", State, Jurisdiction)


def find_state(code: str | None) -> State | None:
    """The state, DC or territory with this postal code (any case) or 2-digit FIPS code."""
    code = (code or "").strip().upper()
    if not code:
        return None
    column = State.fips if code.isdigit() else State.postal
    return db.session.scalar(select(State).where(column == code))


def get_state(code: str, *, for_update_version: int | None = None) -> State:
    """The state with this postal or FIPS code; with `for_update_version`, also check that it
    has not changed since the caller's form was rendered (Conflict)."""
    state = find_state(code)
    if state is None:
        raise NotFound(f"No state has code {(code or '').strip().upper()!r}.", field="state")
    return _unchanged(
        state, for_update_version, f"{state.name} was changed", "reload the page to see it"
    )


def _unchanged(record: _V, version: int | None, changed: str, where: str) -> _V:
    """`record`, or Conflict when a form rendered at `version` no longer shows what it holds."""
    if version is not None and record.version_id != version:
        raise Conflict(
            f"{changed} by someone else since you opened this page ({where}). Nothing was "
            "saved; review the change and try again."
        )
    return record


def state_options() -> tuple[tuple[str, str, bool], ...]:
    """(postal, name, is territory) of every state, DC and territory, by name (cached)."""
    return cached(
        "registry_states",
        None,
        lambda: tuple(
            (postal, name, kind is StateKind.TERRITORY)
            for postal, name, kind in db.session.execute(
                select(State.postal, State.name, State.kind).order_by(State.name)
            )
        ),
    )


def territories() -> frozenset[str]:
    """The postal codes of the territories (DC counts with the states, as the program's own
    figures did)."""
    return frozenset(postal for postal, _name, territory in state_options() if territory)


def resolve_states(codes: Iterable[str], field_name: str = "states") -> list[State]:
    """The states named by postal codes or FIPS codes, in one query; unknown codes are an error."""
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    if not wanted:
        return []
    found = db.session.scalars(
        select(State).where(or_(State.postal.in_(wanted), State.fips.in_(wanted)))
    ).all()
    by_code = {s.postal: s for s in found} | {s.fips: s for s in found}
    unknown = [c for c in wanted if c not in by_code]
    if unknown:
        raise DomainError(f"Unknown state: {', '.join(unknown)}.", field=field_name)
    states: list[State] = []
    for code in wanted:
        if by_code[code] not in states:
            states.append(by_code[code])
    return states


def get_jurisdiction(fips: str, *, for_update_version: int | None = None) -> Jurisdiction:
    """The jurisdiction with this FIPS code; with `for_update_version`, also check it is unchanged.

    Raises NotFound for an unknown code and Conflict when the jurisdiction changed since the
    caller's form was rendered at version `for_update_version`.
    """
    jurisdiction = db.session.get(Jurisdiction, fips)
    if jurisdiction is None:
        raise NotFound(f"No jurisdiction has FIPS code {fips!r}.", field="fips")
    changed = f"{jurisdiction.label} was changed"
    return _unchanged(jurisdiction, for_update_version, changed, "see its timeline")


def _named_in_state(postal: str, name: str) -> list[Jurisdiction]:
    """The jurisdictions of one state whose full or short name is `name` (any case)."""
    name = name.strip().lower()
    return list(
        db.session.scalars(
            select(Jurisdiction)
            .join(State, State.fips == Jurisdiction.state_fips)
            .where(State.postal == postal.strip().upper())
            .where(
                or_(
                    func.lower(Jurisdiction.full_name) == name,
                    func.lower(Jurisdiction.name) == name,
                )
            )
        )
    )


def _best_match(candidates: list[Jurisdiction], name: str) -> list[Jurisdiction]:
    """The full-name match when there is exactly one, else every candidate."""
    exact = [j for j in candidates if j.full_name.lower() == name.strip().lower()]
    return exact if len(exact) == 1 else candidates


_FIPS_IN_TEXT = re.compile(r"(?:^|\()\s*(\d{5})\s*\)?\s*$")


def find_jurisdiction(text: str | None, field: str = "jurisdiction") -> Jurisdiction:
    """The jurisdiction people typed: a 5-digit FIPS code, "Name, ST" (e.g. "Travis County, TX"
    or "Travis, TX" when that is unambiguous), or a type-ahead choice "Name, ST (FIPS)"."""
    text = (text or "").strip()
    if not text:
        raise DomainError("Choose the jurisdiction that sent the letter.", field=field)
    match = _FIPS_IN_TEXT.search(text)
    if match:
        jurisdiction = db.session.get(Jurisdiction, match.group(1))
        if jurisdiction is None:
            raise DomainError(f"No jurisdiction has FIPS code {match.group(1)}.", field=field)
        return jurisdiction
    name, comma, postal = text.rpartition(",")
    if not comma or len(postal.strip()) != 2:
        raise DomainError(
            f"“{text}” is not a jurisdiction. Type its 5-digit FIPS code or “Name, ST” "
            "(e.g. “Travis County, TX”) and pick it from the list.",
            field=field,
        )
    matches = _best_match(_named_in_state(postal, name), name)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        codes = ", ".join(f"{j.full_name} ({j.fips})" for j in matches)
        raise DomainError(
            f"“{text}” matches more than one jurisdiction: {codes}. Type the FIPS code.",
            field=field,
        )
    raise DomainError(
        f"No jurisdiction is called “{text}”. Type its FIPS code or pick it from the list.",
        field=field,
    )


def jurisdiction_options(query: str, limit: int = 15) -> list[dict[str, str]]:
    """Type-ahead matches for `query`: FIPS codes starting with it, or names containing it.

    Each option's value, "Name, ST (FIPS)", is what find_jurisdiction accepts back.
    """
    query = (query or "").strip()
    if len(query) < 2:
        return []
    statement = select(Jurisdiction).join(State, State.fips == Jurisdiction.state_fips)
    if query.isdigit():
        statement = statement.where(Jurisdiction.fips.startswith(query))
    else:
        name, comma, postal = query.rpartition(",")
        if comma and len(postal.strip()) <= 2 and name.strip():
            statement = statement.where(
                func.lower(Jurisdiction.full_name).contains(name.strip().lower())
            )
            if postal.strip():
                statement = statement.where(State.postal.startswith(postal.strip().upper()))
        else:
            statement = statement.where(func.lower(Jurisdiction.full_name).contains(query.lower()))
    statement = statement.order_by(Jurisdiction.name, State.postal).limit(limit)
    return [
        {"fips": j.fips, "label": j.label, "value": f"{j.label} ({j.fips})"}
        for j in db.session.scalars(statement)
    ]


_FIPS_LINE = re.compile(r"^\d{5}(?:[\s,;]+\d{5})*$")
_FIPS_FIRST = re.compile(r"^(\d{5})\b")
_NAME_STATE = re.compile(r"^(?P<name>.+?),\s*(?P<postal>[A-Za-z]{2})$")


def parse_jurisdiction_lines(text: str | None, field: str = "jurisdictions") -> list[str]:
    """FIPS codes from a textarea: one jurisdiction a line, as "48453", "48453 Travis County, TX",
    "Travis County, TX" or "Travis, TX"; several FIPS codes may share a line.

    Names are matched (case-insensitively) against the full or short name within the state. A
    line that matches nothing, or more than one jurisdiction, is an error naming the line, and
    nothing is resolved.
    """
    ordered: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if _FIPS_LINE.match(line):
            ordered += re.split(r"[\s,;]+", line)
        elif match := _FIPS_FIRST.match(line):
            ordered.append(match.group(1))
        elif match := _NAME_STATE.match(line):
            matches = _best_match(_named_in_state(match["postal"], match["name"]), match["name"])
            if not matches:
                raise DomainError(
                    f'Line {number} ("{line}"): no jurisdiction of that name in '
                    f"{match['postal'].upper()}.",
                    field=field,
                )
            if len(matches) > 1:
                raise DomainError(
                    f'Line {number} ("{line}") matches {len(matches)} jurisdictions '
                    f"({', '.join(j.fips for j in matches)}); write its full name or FIPS code.",
                    field=field,
                )
            ordered.append(matches[0].fips)
        else:
            raise DomainError(
                f'Line {number} ("{line}"): write a 5-digit FIPS code or "Name, ST".', field=field
            )
    known = set(db.session.scalars(select(Jurisdiction.fips).where(Jurisdiction.fips.in_(ordered))))
    unknown = [code for code in ordered if code not in known]
    if unknown:
        raise DomainError(f"No jurisdiction has FIPS code {', '.join(unknown)}.", field=field)
    return list(dict.fromkeys(ordered))
