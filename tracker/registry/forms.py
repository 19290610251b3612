"""Registry forms: a state's bureau and agreement (shapes only), and the state filter every
list offers."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tracker.forms import DateField, Form
from tracker.params import ChoiceParam
from tracker.registry.lookup import find_state, state_options


class StateParam(ChoiceParam):
    """?state= as a postal code (any case) or a state FIPS code; its data is the postal code."""

    def __init__(self, label="State", validators=None, **kwargs):
        super().__init__(label, validators, choices=_state_choices, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        value = valuelist[0].strip().upper() if valuelist else ""
        if value.isdigit():
            state = find_state(value)
            value = state.postal if state else value
        if value:
            self.data = value

    def refusal(self) -> str:
        return f"{self.name} must be a state postal code (e.g. TX) or FIPS code, got {self.data!r}."


def _state_choices() -> list[SelectChoice]:
    return [SelectChoice(postal, name) for postal, name, _territory in state_options()]


class StateForm(Form):
    sib_name = StringField(
        "State identification bureau (SIB)",
        validators=[Optional()],  # its length rule is update_state's
        description="The bureau's name, e.g. Texas Department of Public Safety Crime Records.",
    )
    sib_contact = TextAreaField(
        "SIB contact",
        validators=[Optional(), Length(max=2000)],
        description="Who to call: name, title, phone, e-mail.",
        render_kw={"rows": 3},
    )
    sib_email = StringField(
        "SIB e-mail",
        validators=[Optional()],  # its rule is update_state's (a valid address)
        description="Where meeting requests and copies of the office's letters go. Staff only.",
    )
    moa_signed_on = DateField("MOA signed on", validators=[Optional()])
    moa_terminated_on = DateField(
        "MOA terminated on",
        validators=[Optional()],
        description="Leave empty while the agreement is in force.",
    )
    receives_results = BooleanField("The state still receives identification results")
    reason = TextAreaField(
        "Reason, when correcting an error",
        validators=[Optional(), Length(max=2000)],
        description="Leave empty to record news (an agreement signed or ended, a new contact); "
        "give a reason to correct what was recorded wrongly. Earlier versions are kept either way.",
        render_kw={"rows": 2},
    )
    version = HiddenField(validators=[DataRequired()])
