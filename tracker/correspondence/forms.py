"""Forms for correspondence and intake. They check shape only; the services apply the rules."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from tracker.correspondence.models import SentBy
from tracker.deferrals.forms import NewDeferralForm
from tracker.enums import enum_choices
from tracker.forms import DateField, Form

SENT_BY_CHOICES = enum_choices((SentBy.POST, SentBy.FAX))


class CorrespondenceForm(Form):
    """One letter to send or record: `send` e-mails it, `record` records it as posted or faxed,
    `pdf` downloads the PDF to print without recording anything."""

    kind = HiddenField()
    version = HiddenField()
    to = StringField(
        "To",
        validators=[Length(max=2000)],
        description="E-mail addresses separated by commas, e.g. “Pat Doe <pat@county.gov>”. "
        "When recording a posted or faxed letter: the name and address or fax number it went to.",
    )
    cc = StringField("Cc", validators=[Optional(), Length(max=2000)])
    subject = StringField(
        "Subject", validators=[InputRequired("Give the subject."), Length(max=200)]
    )
    body = TextAreaField(
        "Letter",
        validators=[InputRequired("Write the letter before sending it."), Length(max=20_000)],
        description="Plain text; a blank line starts a new paragraph. Printed below the "
        "letterhead, date, address and reference in the PDF, and sent as the e-mail's text.",
        render_kw={"rows": 18},
    )
    sent_on = DateField("Date sent", validators=[Optional()])
    sent_by = SelectField("Sent by", choices=SENT_BY_CHOICES, validators=[Optional()])
    send = SubmitField("Send by e-mail")
    pdf = SubmitField("Download the PDF")
    record = SubmitField("Record as sent")


class IntakeForm(Form):
    messages = MultipleFileField(
        "E-mail messages (.eml)",
        description="One or more messages saved from the mail program as .eml files. Each "
        "becomes a draft letter to check and confirm.",
        render_kw={"accept": ".eml,message/rfc822"},
    )


class ConfirmDraftForm(NewDeferralForm):
    """The new-letter form without the channel (it came by e-mail) or uploads (the message and
    its attachments are the letter's files)."""

    channel = None
    attachments = None


class DiscardDraftForm(Form):
    reason = StringField(
        "Reason for discarding",
        validators=[InputRequired("Say why the message is discarded."), Length(max=1000)],
    )
