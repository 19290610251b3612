"""Loading the national registry (states, jurisdictions) and the real activation records."""

from __future__ import annotations

import csv
import datetime as dt
import enum
from dataclasses import dataclass, field

from sqlalchemy import select

from tracker.audit.services import record
from tracker.extensions import db
from tracker.plan.models import Activation
from tracker.registry.models import Jurisdiction, JurisdictionKind, State, StateKind
from tracker.resources import runtime_folder


@dataclass
class SeedReport:
    """What a seeding step did, for the command's output and the audit log."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return any(self.added.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        names = list(dict.fromkeys([*self.added, *self.updated, *self.unchanged]))
        return [
            f"{name}: {self.added.get(name, 0)} added, {self.updated.get(name, 0)} updated, "
            f"{self.unchanged.get(name, 0)} unchanged"
            for name in names
        ]


def _read_seed(filename: str) -> list[dict[str, str]]:
    with (runtime_folder("seeds") / filename).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _upsert(
    model, filename: str, columns: tuple[str, ...], kind: type[enum.Enum], report: SeedReport
) -> None:
    """Insert or correct the rows of a registry table from its seed file, matched by FIPS: the
    `columns` as the file writes them, and its `kind` column read as the `kind` enumeration.
    The report names them after the file ("states")."""
    label = filename.removesuffix(".csv")
    rows = [
        {**{name: row[name] for name in columns}, "kind": kind(row["kind"])}
        for row in _read_seed(filename)
    ]
    existing = {obj.fips: obj for obj in db.session.scalars(select(model))}
    added = updated = unchanged = 0
    for values in rows:
        current = existing.get(values["fips"])
        if current is None:
            db.session.add(model(**values))
            added += 1
            continue
        differences = {
            name: value for name, value in values.items() if getattr(current, name) != value
        }
        if differences:
            for name, value in differences.items():
                setattr(current, name, value)
            updated += 1
        else:
            unchanged += 1
    report.added[label] = added
    report.updated[label] = updated
    report.unchanged[label] = unchanged
    db.session.flush()


def seed_registry(report: SeedReport) -> None:
    """Insert or correct every state and county equivalent from the Census-derived CSVs.

    Matched by FIPS, so running it again changes nothing; other columns (SIB contacts, risk
    tiers) that staff maintain are left alone.
    """
    _upsert(State, "states.csv", ("fips", "postal", "name"), StateKind, report)
    columns = ("fips", "state_fips", "name", "full_name")
    _upsert(Jurisdiction, "jurisdictions.csv", columns, JurisdictionKind, report)


def seed_real_activations(report: SeedReport) -> None:
    """Activation dates taken from the program's published documents, marked with their source.

    These are real records (is_demo false). A jurisdiction that already has an activation is
    left as it is: staff may have corrected it since.
    """
    existing = set(db.session.scalars(select(Activation.jurisdiction_fips)))
    added = unchanged = 0
    for row in _read_seed("real_activations.csv"):
        if row["fips"] in existing:
            unchanged += 1
            continue
        db.session.add(
            Activation(
                jurisdiction_fips=row["fips"],
                activated_on=dt.date.fromisoformat(row["activated_on"]),
                source=row["source"],
                is_demo=False,
            )
        )
        added += 1
    report.added["real activations"] = added
    report.unchanged["real activations"] = unchanged
    db.session.flush()


def seed_national() -> SeedReport:
    """The `tracker seed` step: registry plus real records, audited as one event if anything changed."""
    report = SeedReport()
    seed_registry(report)
    seed_real_activations(report)
    if report.changed_anything:
        record(
            "seed.registry",
            "registry",
            "national",
            after={"added": report.added, "updated": report.updated},
        )
    return report
