"""The product's enumerations: how they read to people, and how they are stored (as their string
values, on every engine)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum
from wtforms.fields.choices import SelectChoice


class LabelledEnum(enum.StrEnum):
    """A string enumeration whose members carry how they read to people: `Member = "value",
    "Label"`, then `member.label`. The one place each value's wording lives."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def enum_choices(members) -> list[SelectChoice]:
    """Form choices (value, label) for labelled enum members, in their order."""
    return [SelectChoice(member.value, member.label) for member in members]


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
