"""Login, password and role forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from society_saas.accounts.models import SocietyRoleName

ROLE_LABELS = {
    SocietyRoleName.secretary_general: _l("Secretary-general"),
    SocietyRoleName.secretariat_staff: _l("Secretariat staff"),
    SocietyRoleName.council_member: _l("Council member"),
    SocietyRoleName.supervisor: _l("Supervisor"),
    SocietyRoleName.member: _l("Member"),
}


class LoginForm(FlaskForm):
    """Email or mobile number plus password."""

    identifier = StringField(_l("Email or mobile number"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    """Ask for a reset link by email."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])


class NewPasswordForm(FlaskForm):
    """Choose a new password (reset link)."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class ChangePasswordForm(NewPasswordForm):
    """Change the password while logged in."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class AssignRoleForm(FlaskForm):
    """Give an existing account a role in the society."""

    identifier = StringField(_l("Email or mobile number of the account"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()], validators=[DataRequired()])
