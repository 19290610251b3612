"""Jurisdiction names as documents write them -> the FIPS code they mean.

Every jurisdiction answers to a set of aliases built from the registry: its name, its full name,
its name with each word its kind is written with ("Travis County", "County of Travis",
"Alexandria city", "City of Alexandria", "Juneau City and Borough", "Municipio de Añasco"...).
Aliases and the text looked up go through the same normalisation (accents dropped, case folded,
apostrophes dropped, "St."/"Saint" and "Ste."/"Sainte" unified, every space, hyphen and dot
removed), so "St Mary's", "Saint Marys" and "ST. MARY'S COUNTY" all meet.

An alias shared by two jurisdictions of one state ("Baltimore": the county and the city) resolves
to neither: the caller gets an error listing the candidates. The resolver never guesses.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.registry.models import Jurisdiction, State
from tracker.text import fold

_APOSTROPHES = "'’‘`´ʼ"
# Abbreviations that public records use interchangeably with the full word.
_TOKEN_SYNONYMS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
# How each kind of county equivalent is written after (or "... of" before) its name.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "county": ("county", "co"),
    "parish": ("parish",),
    "borough": ("borough",),
    "census_area": ("census area",),
    "city_and_borough": ("city and borough", "borough", "city"),
    "municipality": ("municipality",),
    "municipio": ("municipio", "municipality"),
    "city": ("city",),
    "district": ("district",),
    "island": ("island",),
}


class ResolveError(DomainError):
    """A state or jurisdiction that matches nothing, or more than one thing."""


def normalise(text: str) -> str:
    """Lower-case words without accents, apostrophes or punctuation; abbreviations spelled out.

    "Prince George's" -> "prince georges"; "Doña Ana" -> "dona ana"; "Ste. Genevieve" ->
    "sainte genevieve"; "Miami-Dade" -> "miami dade".
    """
    text = fold(text)
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    text = text.replace("&", " and ")
    return " ".join(_TOKEN_SYNONYMS.get(token, token) for token in re.findall(r"[a-z0-9]+", text))


def compact(text: str) -> str:
    """The lookup key: normalised, with no spaces, so missing or extra spaces/hyphens match."""
    return normalise(text).replace(" ", "")


def aliases(name: str, full_name: str, kind: str) -> set[str]:
    """Every way of writing one jurisdiction that the resolver accepts, as lookup keys."""
    forms = {name, full_name}
    for word in KIND_WORDS.get(kind, ()):
        forms.add(f"{name} {word}")
        forms.add(f"{word} of {name}")
    if kind == "municipio":
        forms.add(f"municipio de {name}")
    keys = {compact(form) for form in forms}
    # "St. Genevieve" for "Ste. Genevieve": documents drop the feminine form.
    keys |= {key.replace("sainte", "saint") for key in keys if "sainte" in key}
    return keys


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    fips: str
    state_fips: str
    name: str
    full_name: str
    kind: str
    state_postal: str

    @property
    def label(self) -> str:
        return f"{self.full_name}, {self.state_postal}"


@dataclass(frozen=True, slots=True)
class StateEntry:
    fips: str
    postal: str
    name: str


class Resolver:
    """An in-memory index of the registry, built once per import (no query per row)."""

    def __init__(
        self,
        states: Iterable[tuple[str, str, str]],
        jurisdictions: Iterable[tuple[str, str, str, str, str]],
    ) -> None:
        """`states`: (fips, postal, name); `jurisdictions`: (fips, state_fips, name, full_name,
        kind)."""
        self.states: dict[str, StateEntry] = {}
        self._state_keys: dict[str, StateEntry] = {}
        for fips, postal, name in states:
            entry = StateEntry(fips, postal, name)
            self.states[fips] = entry
            for form in (fips, str(int(fips)), postal, name):
                self._state_keys[compact(form)] = entry
            if name.startswith("U.S. "):
                self._state_keys[compact(name.removeprefix("U.S. "))] = entry
        self.jurisdictions: dict[str, RegistryEntry] = {}
        self._index: dict[tuple[str, str], set[str]] = defaultdict(set)
        for fips, state_fips, name, full_name, kind in jurisdictions:
            kind = getattr(kind, "value", kind)
            entry = RegistryEntry(
                fips, state_fips, name, full_name, kind, self.states[state_fips].postal
            )
            self.jurisdictions[fips] = entry
            for key in aliases(name, full_name, kind):
                self._index[(state_fips, key)].add(fips)

    @classmethod
    def from_database(cls) -> Resolver:
        """The resolver for the registry as the database holds it now (two queries)."""
        states = db.session.execute(select(State.fips, State.postal, State.name)).all()
        jurisdictions = db.session.execute(
            select(
                Jurisdiction.fips,
                Jurisdiction.state_fips,
                Jurisdiction.name,
                Jurisdiction.full_name,
                Jurisdiction.kind,
            )
        ).all()
        return cls(states, jurisdictions)

    def resolve_state(self, value: str) -> StateEntry:
        """A state from its postal code, name or FIPS code ("VA", "virginia", "51", "6")."""
        key = compact(value)
        entry = self._state_keys.get(key)
        if entry is None:
            raise ResolveError(
                f"{value!r} is not a state, DC or territory (looked for {normalise(value)!r} "
                "among postal codes, names and FIPS codes).",
                field="state",
            )
        return entry

    def resolve(self, state: str, jurisdiction: str) -> RegistryEntry:
        """The jurisdiction written as `jurisdiction` (a name or a FIPS code) in `state`.

        `state` may be blank when `jurisdiction` is a full 5-digit FIPS code (or 4 digits: a
        spreadsheet that dropped the leading zero). With a state, 1 to 3 digits are the county
        code within it. Raises ResolveError naming what was tried when nothing, or more than
        one jurisdiction, matches.
        """
        state = (state or "").strip()
        jurisdiction = (jurisdiction or "").strip()
        state_entry = self.resolve_state(state) if state else None
        if not jurisdiction:
            raise ResolveError("The jurisdiction is blank.", field="jurisdiction")
        if jurisdiction.isdigit():
            return self._resolve_fips(state_entry, jurisdiction)
        if state_entry is None:
            raise ResolveError(
                f"Give the state of {jurisdiction!r} (a postal code, name or FIPS code): "
                "names are only unique within a state.",
                field="state",
            )
        key = compact(self._without_state(jurisdiction, state_entry))
        candidates = sorted(self._index.get((state_entry.fips, key), ()))
        if len(candidates) == 1:
            return self.jurisdictions[candidates[0]]
        if candidates:
            listed = "; ".join(f"{self.jurisdictions[c].full_name} ({c})" for c in candidates)
            raise ResolveError(
                f"{jurisdiction!r} is ambiguous in {state_entry.name}: it matches {listed} "
                f"(looked up as {normalise(jurisdiction)!r}). Write the full name, e.g. "
                f"{self.jurisdictions[candidates[0]].full_name!r}, or the FIPS code.",
                field="jurisdiction",
            )
        raise ResolveError(self._unknown_message(state_entry, jurisdiction), field="jurisdiction")

    def _without_state(self, jurisdiction: str, state_entry: StateEntry) -> str:
        """ "Travis County, TX" -> "Travis County" when TX is the row's state."""
        head, comma, tail = jurisdiction.rpartition(",")
        if comma and head.strip() and self._state_keys.get(compact(tail)) == state_entry:
            return head
        return jurisdiction

    def _resolve_fips(self, state_entry: StateEntry | None, digits: str) -> RegistryEntry:
        if len(digits) in (4, 5):
            fips = digits.zfill(5)
        elif len(digits) <= 3 and state_entry is not None:
            fips = state_entry.fips + digits.zfill(3)
        else:
            raise ResolveError(
                f"{digits!r} is not a FIPS code: give 5 digits (state and county), or the "
                "county's 3 digits with the state.",
                field="jurisdiction",
            )
        entry = self.jurisdictions.get(fips)
        if entry is None:
            raise ResolveError(f"No jurisdiction has FIPS code {fips}.", field="jurisdiction")
        if state_entry is not None and entry.state_fips != state_entry.fips:
            raise ResolveError(
                f"FIPS code {fips} is {entry.label}, not in {state_entry.name}.",
                field="jurisdiction",
            )
        return entry

    def _unknown_message(self, state_entry: StateEntry, jurisdiction: str) -> str:
        names = sorted(
            entry.full_name
            for entry in self.jurisdictions.values()
            if entry.state_fips == state_entry.fips
        )
        by_key = {compact(name): name for name in names}
        close = difflib.get_close_matches(compact(jurisdiction), list(by_key), n=3, cutoff=0.75)
        message = (
            f"No jurisdiction in {state_entry.name} is called {jurisdiction!r} (looked up as "
            f"{normalise(jurisdiction)!r}, with and without County, Parish, Borough, Census "
            "Area, Municipio, City)."
        )
        if close:
            message += " Did you mean " + " or ".join(repr(by_key[key]) for key in close) + "?"
        return message
