"""The form editors use for a state's bureau and agreement. Validation of shapes only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class StateForm(FlaskForm):
    sib_name = StringField(
        "State identification bureau (SIB)",
        validators=[Optional(), Length(max=200)],
        description="The bureau's name, e.g. Texas Department of Public Safety Crime Records.",
    )
    sib_contact = TextAreaField(
        "SIB contact",
        validators=[Optional(), Length(max=2000)],
        description="Who to call: name, title, phone, e-mail.",
        render_kw={"rows": 3},
    )
    moa_signed_on = DateField("MOA signed on", validators=[Optional()])
    moa_terminated_on = DateField(
        "MOA terminated on",
        validators=[Optional()],
        description="Leave empty while the agreement is in force.",
    )
    receives_results = BooleanField("The state still receives identification results")
    version = HiddenField(validators=[DataRequired()])
