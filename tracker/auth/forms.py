"""Sign-in and account forms. They validate input; services do the writing."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.access import Role
from tracker.auth.passwords import MIN_PASSWORD_LENGTH
from tracker.forms import Form

ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]


class LoginForm(Form):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class CreateUserForm(Form):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.VIEWER.value)
    password = PasswordField(
        "Initial password",
        # The length rule and its message are tracker.auth.passwords.check_password_rules'.
        validators=[DataRequired(), Length(max=1024)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Share it with the person securely.",
    )


class ChangeRoleForm(Form):
    role = SelectField("Role", choices=ROLE_CHOICES)
    version = IntegerField(validators=[DataRequired()])


class AccountStateForm(Form):
    version = IntegerField(validators=[DataRequired()])
    active = HiddenField()  # "1" reactivates, anything else deactivates


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Give your current password."), Length(max=1024)],
    )
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a new password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1024,
                message=f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters long.",
            ),
        ],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Every other sign-in of your "
        "account ends when you change it.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[EqualTo("password", message="The two new passwords differ.")],
    )
