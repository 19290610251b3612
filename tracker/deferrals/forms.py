"""Forms for deferral letters. They check what they parse (dates, lengths); the rules and their
messages, a missing value included, live in tracker.deferrals.letters and .workflow."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from tracker.dates import today
from tracker.deferrals.attachments import ACCEPTED_DESCRIPTION
from tracker.deferrals.models import AddressedTo, Channel, RequestKind, Resolution
from tracker.enums import enum_choices
from tracker.errors import DomainError
from tracker.forms import DateField, Form
from tracker.params import Needed

ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.tif,.tiff,.eml,.txt,application/pdf,image/*,message/rfc822,text/plain"
)


class _LetterForm(Form):
    """What is logged of a letter (the logging and the edit forms share it)."""

    jurisdiction = StringField(
        "Jurisdiction",
        validators=[Needed(), Length(max=200)],
        description="Start typing a name or FIPS code and pick from the list, "
        "or type the 5-digit FIPS code or “Name, ST” (e.g. “Travis County, TX”).",
    )
    letter_date = DateField(
        "Letter date",
        validators=[Needed()],
    )
    received_on = DateField(
        "Received on",
        validators=[Needed()],
        description="Not in the future, and not before the letter date.",
    )
    channel = SelectField(
        "Received by",
        choices=[SelectChoice("", "Choose…")] + enum_choices(Channel),
        validators=[Needed()],
    )
    sender_name = StringField(
        "Sender name",
        validators=[Needed(), Length(max=200)],
    )
    sender_title = StringField("Sender title", validators=[Optional(), Length(max=200)])
    sender_agency = StringField("Sender agency", validators=[Optional(), Length(max=200)])
    sender_email = StringField(
        "Sender e-mail",
        validators=[Optional()],  # its rules are log_request's (a valid address)
        description="Where the office's answers go by e-mail. Staff only.",
        render_kw={"autocomplete": "off"},
    )
    sender_address = TextAreaField(
        "Sender postal address",
        validators=[Optional()],  # its length rule is log_request's
        description="Printed on the office's letters. Staff only.",
        render_kw={"rows": 3},
    )
    addressed_to = SelectField(
        "Addressed to",
        choices=[SelectChoice("", "Choose…")] + enum_choices(AddressedTo),
        validators=[Needed()],
    )
    kind = SelectField(
        "What is asked",
        choices=[SelectChoice("", "Choose…")] + enum_choices(RequestKind),
        validators=[Needed()],
    )
    requested_date = DateField(
        "Requested date",
        validators=[Optional()],
        description="Required when the jurisdiction asks to defer: the date it asks for.",
    )
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=10_000)])


class NewDeferralForm(_LetterForm):
    attachments = MultipleFileField(
        "Attachments",
        description=f"One or more files: {ACCEPTED_DESCRIPTION}. The type is checked from the "
        "content. Each file at most the upload limit.",
        render_kw={"accept": ACCEPT},
    )


class EditDeferralForm(_LetterForm):
    """Correcting what was logged: the letter's fields, the reason, the version shown."""

    reason = TextAreaField(
        "Reason for the correction",
        validators=[Needed(), Length(max=2000)],
        description="Kept with the correction; staff see it, the public never does.",
    )
    version = HiddenField()


class UndoForm(Form):
    """Undoing the latest workflow step: the reason and the version shown."""

    reason = TextAreaField("Reason for undoing the step", validators=[Needed(), Length(max=2000)])
    version = HiddenField()


class StepForm(Form):
    """A workflow step: its date and the version of the request the page showed."""

    on = DateField("Date", validators=[Needed()], default=today)
    version = HiddenField()


class ResolveForm(StepForm):
    resolution = SelectField(
        "Resolution",
        choices=[SelectChoice("", "Choose…")]
        + enum_choices(r for r in Resolution if r is not Resolution.WITHDRAWN),
        validators=[Needed()],
    )
    adjusted_to = DateField(
        "New scheduled date",
        validators=[Optional()],
        description="Required for “date adjusted”: the jurisdiction's new activation date.",
    )
    reason = StringField(
        "Reason for the plan change",
        validators=[Optional(), Length(max=500)],
        description="Optional; recorded with the plan change.",
    )


class NoteForm(Form):
    body = TextAreaField(
        "Note",
        validators=[Needed()],
    )


class AttachmentForm(Form):
    attachments = MultipleFileField(
        "Add attachments",
        description=f"{ACCEPTED_DESCRIPTION}.",
        render_kw={"accept": ACCEPT},
    )


def parse_version(value: str | None) -> int:
    """The hidden version field: the version of the request the page was rendered from.

    Without it no stale-form check is possible, so a post lacking it is refused.
    """
    try:
        return int(value or "")
    except ValueError as exc:
        raise DomainError(
            "The form is incomplete (no version). Reload the page and try again.", field="version"
        ) from exc


__all__ = [
    "AttachmentForm",
    "EditDeferralForm",
    "NewDeferralForm",
    "NoteForm",
    "ResolveForm",
    "StepForm",
    "UndoForm",
    "parse_version",
]
