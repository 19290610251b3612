"""Column type for the product's enumerations: stored as their string values on every engine."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_column_type(enum_class: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR with a CHECK constraint holding the enum's values (not names).

    Non-native so SQLite and PostgreSQL store the same thing and adding a value is a plain
    migration rather than an ALTER TYPE.
    """
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
