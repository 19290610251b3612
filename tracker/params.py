"""Request parameters: every list's filters are a GET form built from these fields.

A filter form reads the query string, applies each parameter's default, and words each refusal
once, naming the parameter ("as_of must be a date written YYYY-MM-DD, got '2011-13-01'."). Pages
render the same form with the shared macros (templates/_macros/forms.html), so what a filter
means, how it is spelt and what a bad value says live in one place; the API, the downloads and
the commands read the same forms (`checked()` turns the first bad parameter into a DomainError,
a 400 that names it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from flask import request
from wtforms import BooleanField, DateField, Field, IntegerField, SelectField, StringField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from tracker.dates import parse_iso_date, parse_known_at, today
from tracker.errors import DomainError
from tracker.forms import Form
from tracker.pagination import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, Cursor

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class DateParam(DateField):
    """A calendar date written YYYY-MM-DD; empty means the default (often none, or today)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        try:
            value = parse_iso_date(valuelist[0], self.name)
        except DomainError as exc:
            self.data = None
            raise ValueError(exc.message) from exc
        if value is not None:
            self.data = value


class MomentParam(StringField):
    """A moment in the records' history (`known_at`): YYYY-MM-DD is the end of that day in the
    office's time zone, or a full ISO 8601 timestamp; empty means now (None). The data is the
    moment in UTC; links carry the text as it was written."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_known_at(valuelist[0], self.name)
        except DomainError as exc:
            self.data = None
            raise ValueError(exc.message) from exc

    def _value(self) -> str:
        return self.raw_data[0].strip() if self.raw_data else ""


class ChoiceParam(SelectField):
    """One of a fixed set of values, or empty for "any" (or the default when one is given)."""

    def __init__(
        self, label=None, validators=None, *, choices=None, any_label: str | None = "Any", **kwargs
    ):
        if isinstance(choices, list | tuple):
            # (value, label) pairs read best where they are declared.
            choices = [SelectChoice(*c) if isinstance(c, tuple) else c for c in choices]
        super().__init__(label, validators, choices=choices, **kwargs)
        self.any_label = any_label

    def iter_choices(self) -> list[Choice]:
        choices = super().iter_choices()
        if self.any_label is None:
            return choices
        return [Choice("", self.any_label, self.data is None, {}), *choices]

    def selected_label(self) -> str:
        """The label of the chosen value ("" when none is chosen)."""
        return next((choice.label for choice in self.iter_choices() if choice.selected), "")

    def allowed(self) -> list[str]:
        return [choice.value for choice in self._choices_from_input(self.choices) or []]

    def process_formdata(self, valuelist: list[str]) -> None:
        value = valuelist[0].strip() if valuelist else ""
        if value:
            self.data = value

    def refusal(self) -> str:
        """What an unknown value is told."""
        return f"{self.name} must be one of {', '.join(self.allowed())}; got {self.data!r}."

    def pre_validate(self, form) -> None:
        if self.data is not None and self.data not in self.allowed():
            raise ValidationError(self.refusal())


class FlagParam(BooleanField):
    """A yes/no switch: 1, true, yes or on mean yes; a checkbox sends 1."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = bool(valuelist) and valuelist[0].strip().lower() in TRUE_WORDS

    def _value(self) -> str:
        return "1"


class TextParam(StringField):
    """Free text, trimmed, at most `max_length` characters (longer input is cut, not refused)."""

    def __init__(self, label=None, validators=None, *, max_length: int = 100, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_length = max_length

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = (valuelist[0] if valuelist else "").strip()[: self.max_length] or None


class CountParam(IntegerField):
    """A whole number of at least `minimum` (and at most `maximum`), named in its refusal."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, *, minimum=1, maximum=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[str]) -> None:
        value = valuelist[0].strip() if valuelist else ""
        if not value:
            return
        try:
            self.data = int(value)
        except ValueError as exc:
            self.data = None
            raise ValueError(f"{self.name} must be a whole number.") from exc

    def pre_validate(self, form) -> None:
        if self.data is None:
            return
        if self.maximum is not None and not self.minimum <= self.data <= self.maximum:
            raise ValidationError(
                f"{self.name} must be between {self.minimum:,} and {self.maximum:,}."
            )
        if self.data < self.minimum:
            raise ValidationError(f"{self.name} must be {self.minimum} or more.")


class CursorParam(StringField):
    """Where a seek list's page starts (`after`): the opaque token of its "next page" link."""

    widget = HiddenInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        token = valuelist[0].strip() if valuelist else ""
        if not token:
            return
        try:
            self.data = Cursor.from_token(token)
        except ValueError as exc:
            self.data = None
            raise ValueError(
                f"{self.name} is not a page link of this list; start again from the first page."
            ) from exc


class Needed:
    """Marks a field as needed (the label's asterisk, `required` for assistive technology) while
    the rule, and the words that refuse a missing value, stay in the service that checks it for
    every caller: no message is written both in a form and in a service."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        # An empty date is not "not a valid date": leave the field to the service's message.
        if not field.raw_data or not str(field.raw_data[0]).strip():
            field.errors[:] = []
            raise StopValidation()


class NotAfter:
    """A date range's start may not fall after its end (`end` is the other field's attribute)."""

    def __init__(self, end: str) -> None:
        self.end = end

    def __call__(self, form, field) -> None:
        end = form[self.end]
        if field.data and end.data and field.data > end.data and not end.errors:
            raise ValidationError(f"{field.name} must be on or before {end.name}.")


class FilterForm(Form):
    """A list's filters, read from the query string (a GET form: no CSRF token to carry).

    Invalid parameters fall back to their defaults, so a page can still show its list beside the
    messages; `checked()` refuses instead.
    """

    class Meta:
        csrf = False

    def __init__(self, args: Mapping[str, str] | None = None, **kwargs) -> None:
        super().__init__(formdata=request.args if args is None else args, **kwargs)
        self.valid = self.validate()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if field.errors:
                field.data = field.default() if callable(field.default) else field.default
        return valid

    def checked(self) -> FilterForm:
        """The form, or DomainError naming the first bad parameter (the API's 400)."""
        for field in self:
            if field.errors:
                raise DomainError(field.errors[0], field=field.name)
        return self

    def problem(self) -> DomainError | None:
        """The first bad parameter as a DomainError, or None."""
        try:
            self.checked()
        except DomainError as exc:
            return exc
        return None

    def filters(self) -> Iterator[Field]:
        """The fields a person sets on the page (paging is the pager's)."""
        return (field for field in self if not isinstance(field.widget, HiddenInput))

    def unshown_errors(self) -> list[str]:
        """Messages about parameters the page has no control for (paging)."""
        hidden = [field for field in self if isinstance(field.widget, HiddenInput)]
        return [message for field in hidden for message in field.errors]

    def query(self, *, without: Iterable[str] = ("page", "after")) -> dict[str, str]:
        """The parameters as links carry them: only those given, valid and not left out."""
        values = {}
        for field in self:
            if field.name in without or field.errors or not field.raw_data:
                continue
            if not field.raw_data[0].strip() or field.data in (None, False):
                continue
            data = field.data
            if isinstance(field, MomentParam):
                values[field.name] = field._value()
                continue
            values[field.name] = (
                data.isoformat()
                if isinstance(data, dt.date)
                else "1"
                if data is True
                else str(data)
            )
        return values


class PagedFilterForm(FilterForm):
    """Filters of a list shown a page at a time: ?page= (from 1) and ?per_page=."""

    page = CountParam(default=1, maximum=MAX_PAGE)
    per_page = CountParam(default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)


KNOWN_AT_HELP = (
    "Show the records as they stood at this moment: a date (the end of that day) or a date and "
    "time. Empty: as they stand now."
)


def known_at_param() -> MomentParam:
    """The `known_at` parameter, as every as-of page, download and API answer reads it."""
    return MomentParam("As known at", description=KNOWN_AT_HELP)


class SeekFilterForm(FilterForm):
    """Filters of a list that grows without bound, shown a page at a time from a key:
    ?after= (the token of a "next page" link) and ?per_page=."""

    after = CursorParam()
    per_page = CountParam(default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)


class AsOfForm(FilterForm):
    """The date a page or an answer is for (default today)."""

    as_of = DateParam("As of", default=today)


class AsKnownForm(AsOfForm):
    """The date a page or an answer is for, and the moment whose records it reads (`known_at`,
    default now: DESIGN's two time axes)."""

    known_at = known_at_param()
