"""Forms for deferral letters. They check the shape of the input; the services apply the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from tracker.dates import today
from tracker.deferrals.attachments import ACCEPTED_DESCRIPTION
from tracker.deferrals.models import AddressedTo, Channel, RequestKind, Resolution
from tracker.enums import enum_choices

ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.tif,.tiff,.eml,.txt,application/pdf,image/*,message/rfc822,text/plain"
)


class NewDeferralForm(FlaskForm):
    jurisdiction = StringField(
        "Jurisdiction",
        validators=[
            InputRequired("Choose the jurisdiction that sent the letter."),
            Length(max=200),
        ],
        description="Start typing a name or FIPS code and pick from the list, "
        "or type the 5-digit FIPS code or “Name, ST” (e.g. “Travis County, TX”).",
    )
    letter_date = DateField(
        "Letter date",
        validators=[InputRequired("Give the date written on the letter.")],
    )
    received_on = DateField(
        "Received on",
        validators=[InputRequired("Give the date the letter was received.")],
        description="Not in the future, and not before the letter date.",
    )
    channel = SelectField(
        "Received by",
        choices=[SelectChoice("", "Choose…")] + enum_choices(Channel),
        validators=[InputRequired("Choose how the letter arrived: e-mail, letter or fax.")],
    )
    sender_name = StringField(
        "Sender name",
        validators=[
            InputRequired("Give the name of the person who signed or sent the letter."),
            Length(max=200),
        ],
    )
    sender_title = StringField("Sender title", validators=[Optional(), Length(max=200)])
    sender_agency = StringField("Sender agency", validators=[Optional(), Length(max=200)])
    addressed_to = SelectField(
        "Addressed to",
        choices=[SelectChoice("", "Choose…")] + enum_choices(AddressedTo),
        validators=[InputRequired("Choose who the letter is addressed to.")],
    )
    kind = SelectField(
        "What is asked",
        choices=[SelectChoice("", "Choose…")] + enum_choices(RequestKind),
        validators=[InputRequired("Choose what the jurisdiction asks for.")],
    )
    requested_date = DateField(
        "Requested date",
        validators=[Optional()],
        description="Required when the jurisdiction asks to defer: the date it asks for.",
    )
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=10_000)])
    attachments = MultipleFileField(
        "Attachments",
        description=f"One or more files: {ACCEPTED_DESCRIPTION}. The type is checked from the "
        "content. Each file at most the upload limit.",
        render_kw={"accept": ACCEPT},
    )


class StepForm(FlaskForm):
    """A workflow step: its date and the version of the request the page showed."""

    on = DateField("Date", validators=[InputRequired("Give the date.")], default=today)
    version = HiddenField()


class ResolveForm(StepForm):
    resolution = SelectField(
        "Resolution",
        choices=[SelectChoice("", "Choose…")]
        + enum_choices(r for r in Resolution if r is not Resolution.WITHDRAWN),
        validators=[InputRequired("Choose a resolution.")],
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


class NoteForm(FlaskForm):
    body = TextAreaField(
        "Note",
        validators=[InputRequired("Write the note before adding it."), Length(max=10_000)],
    )


class AttachmentForm(FlaskForm):
    attachments = MultipleFileField(
        "Add attachments",
        description=f"{ACCEPTED_DESCRIPTION}.",
        render_kw={"accept": ACCEPT},
    )


def parse_version(value: str | None) -> int:
    """The hidden version field: the version of the request the page was rendered from.

    Without it no stale-form check is possible, so a post lacking it is refused.
    """
    from tracker.errors import DomainError

    try:
        return int(value or "")
    except ValueError as exc:
        raise DomainError(
            "The form is incomplete (no version). Reload the page and try again.", field="version"
        ) from exc


__all__ = [
    "AttachmentForm",
    "NewDeferralForm",
    "NoteForm",
    "ResolveForm",
    "StepForm",
    "parse_version",
]
