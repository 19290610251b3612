"""What every form of the tracker shares: the base form and the date field.

`Form` refuses a submission whose fields are of the wrong kind before any field reads it: text
where a file is expected (a form posted without `multipart/form-data`, or a file part whose
name the browser could not send, such as one holding a bare carriage return), a file where text
is expected, or a JSON body. Each is a 400 with a message, never a server error. Every form of
every feature derives from it (tests/security/test_form_kinds.py checks).

`DateField` accepts only dates within the domain's range (tracker.dates), and tells the
browser's date picker the same bounds.
"""

from __future__ import annotations

from flask import abort, has_request_context, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import DateField as _DateField
from wtforms.fields import FileField, MultipleFileField
from wtforms.validators import StopValidation

from tracker.dates import DOMAIN_FIRST, DOMAIN_LAST, in_domain_range, out_of_range_message

_SUBMIT_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _expects_files(field) -> bool:
    return isinstance(field, FileField | MultipleFileField)


def refuse_wrong_kinds(form, formdata) -> None:
    """Abort with 400 when a submitted value is not of the kind its field reads."""
    for field in form:
        for value in formdata.getlist(field.name):
            if _expects_files(field) and not isinstance(value, FileStorage):
                abort(
                    400,
                    description=f"“{field.label.text}” arrived as text, not as a file. Send the "
                    "form from its page (a file whose name holds a line break cannot be sent; "
                    "rename it). Nothing was saved.",
                )
            if not _expects_files(field) and not isinstance(value, str):
                abort(
                    400,
                    description=f"“{field.label.text or field.name}” arrived as a file, but it "
                    "takes text. Send the form from its page. Nothing was saved.",
                )


class Form(FlaskForm):
    """The base of every form: Flask-WTF (CSRF, request data) plus the kind check above."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            posted = has_request_context() and request.method in _SUBMIT_METHODS
            if formdata is not None and posted and request.is_json:
                abort(400, description="Forms are sent as form posts, not JSON. Nothing was saved.")
            data = super().wrap_formdata(form, formdata)
            if data is not None:
                refuse_wrong_kinds(form, data)
            return data


class DateField(_DateField):
    """A YYYY-MM-DD date within the domain's range (tracker.dates.DOMAIN_FIRST … DOMAIN_LAST)."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"min": DOMAIN_FIRST.isoformat(), "max": DOMAIN_LAST.isoformat()}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data is not None and not in_domain_range(self.data):
            # Stops the field's other validators: a date out of range is not worth comparing.
            raise StopValidation(out_of_range_message(self.data, self.label.text))
